package dev.warden.gateway.admin;

import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import dev.warden.ledger.Actor;
import dev.warden.ledger.Appended;
import dev.warden.ledger.LedgerUnavailableException;
import dev.warden.secrets.RefreshOutcome;
import dev.warden.secrets.SecretResolver;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.WardenPrincipals;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Operator actions: erase a data subject (crypto-shredding: the subject's key is deleted and a tombstone appended,
 * the chain still verifies) and force a refresh of every cached secret (after a rotation outside the TTL).
 */
@RestController
@RequestMapping(path = "/admin/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class OperationsApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LedgerRecorder ledger;
    private final SecretResolver secrets;
    private final AccessGuard guard;
    private final AdminAudit audit;

    public OperationsApi(LedgerRecorder ledger, SecretResolver secrets, AccessGuard guard, AdminAudit audit) {
        this.ledger = ledger;
        this.secrets = secrets;
        this.guard = guard;
        this.audit = audit;
    }

    /** {@code {"subject":"user@example.com","reason":"GDPR Art. 17 request #123"}} → the tombstone entry. */
    @PostMapping("/erasures")
    public ResponseEntity<byte[]> erase(HttpServletRequest http) throws IOException {
        WardenPrincipal who = WardenPrincipals.require();
        guard.require(who, Permission.ERASURE_WRITE, null);
        JsonNode body;
        try (InputStream in = http.getInputStream()) {
            body = JSON.readTree(in.readNBytes(64 * 1024));
        } catch (JacksonException e) {
            return error(400, "request body is not valid JSON", null);
        }
        JsonNode subject = body == null ? null : body.get("subject");
        if (subject == null || !subject.isString() || subject.asString().isBlank() || subject.asString().length() > 500) {
            return error(400, "subject: expected the data subject's identifier (1-500 characters)", "subject");
        }
        String reason = body.path("reason").asString("");
        Appended tombstone;
        try {
            tombstone = ledger.ledger().erase(subject.asString(), Actor.ofUser(who.subject()),
                    reason.length() > 500 ? reason.substring(0, 500) : reason);
        } catch (LedgerUnavailableException e) {
            return error(503, "The audit ledger is unavailable; the erasure was not recorded", null);
        }
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("object", "erasure");
        view.put("subject_ref", ledger.ledger().subjectRef(subject.asString()));
        view.put("chain", tombstone.chain());
        view.put("seq", tombstone.seq());
        view.put("hash", tombstone.hash());
        view.put("time", tombstone.time().toString());
        return ResponseEntity.status(201).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(view));
    }

    /** Refreshes every cached secret now; answers which references refreshed (never values). */
    @PostMapping("/secrets/refresh")
    public ResponseEntity<byte[]> refreshSecrets(HttpServletRequest http) {
        WardenPrincipal who = WardenPrincipals.require();
        guard.require(who, Permission.CONFIG_WRITE, null);
        ArrayNode results = JsonNodeFactory.instance.arrayNode();
        for (RefreshOutcome outcome : secrets.refreshAll()) {
            ObjectNode row = results.addObject();
            switch (outcome) {
                case RefreshOutcome.Refreshed ok -> row.put("reference", ok.reference().toString()).put("refreshed", true);
                case RefreshOutcome.Failed failed -> row.put("reference", failed.reference().toString())
                        .put("refreshed", false).put("reason", failed.reason());
            }
        }
        audit.changed(who.subject(), http.getRemoteAddr(), "secrets.refresh", "*", Map.of("count",
                Integer.toString(results.size())));
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("object", "list");
        view.set("data", results);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(view));
    }

    private static ResponseEntity<byte[]> error(int status, String message, @org.jspecify.annotations.Nullable String param) {
        ErrorKind kind = status == 503 ? ErrorKind.UNAVAILABLE : ErrorKind.INVALID_REQUEST;
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.bytes(Surface.Protocol.OPENAI, kind, message, param));
    }
}
