package dev.warden.gateway.admin;

import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.audit.LedgerVerification;
import dev.warden.gateway.audit.LedgerVerification.Status;
import dev.warden.ledger.Head;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.WardenPrincipals;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit trail for the console: this replica's ledger status and its verification (the same checks as
 * {@code warden ledger verify}). Reading the trail needs {@link Permission#AUDIT_READ}, a global-only permission.
 */
@RestController
@RequestMapping(path = "/admin/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class AuditApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How long {@code POST /ledger/verify} waits before answering "running" (the verification goes on). */
    private static final Duration VERIFY_WAIT = Duration.ofSeconds(20);

    private final Ledger ledger;
    private final LedgerVerification verification;
    private final AccessGuard guard;
    private final Clock clock;

    public AuditApi(LedgerRecorder recorder, LedgerVerification verification, AccessGuard guard, Clock clock) {
        this.ledger = recorder.ledger();
        this.verification = verification;
        this.guard = guard;
        this.clock = clock;
    }

    @GetMapping("/ledger/status")
    public ResponseEntity<byte[]> ledgerStatus() {
        guard.require(WardenPrincipals.require(), Permission.AUDIT_READ, null);
        return json(200, statusView(verification.status()));
    }

    /** Runs a full verification now (or joins the one running) and answers its result, or "running" after 20 s. */
    @PostMapping("/ledger/verify")
    public ResponseEntity<byte[]> verify() {
        guard.require(WardenPrincipals.require(), Permission.AUDIT_READ, null);
        Status status = verification.verify(VERIFY_WAIT);
        return json(status instanceof Status.Running ? 202 : 200, statusView(status));
    }

    private ObjectNode statusView(Status status) {
        ObjectNode view = NODES.objectNode();
        view.put("object", "ledger_status");
        Head head = ledger.head();
        view.put("healthy", ledger.healthy());
        view.put("chain_id", ledger.chainId());
        view.put("entries", head.size());
        view.put("head", head.hash());
        Checkpoint last = ledger.lastCheckpoint();
        if (last == null) {
            view.putNull("last_checkpoint");
        } else {
            view.set("last_checkpoint", checkpointView(last)
                    .put("age_seconds", Math.max(0, Duration.between(last.time(), clock.instant()).toSeconds())));
        }
        ObjectNode v = view.putObject("verification");
        switch (status) {
            case Status.Never never -> {
                v.put("status", "never");
                v.putNull("checked_at");
            }
            case Status.Running running -> {
                v.put("status", "running");
                v.put("since", running.since().toString());
                Status.Finished previous = running.previous();
                if (previous == null) {
                    v.putNull("checked_at");
                } else {
                    v.set("previous", finishedView(previous));
                    v.put("checked_at", previous.checkedAt().toString());
                }
            }
            case Status.Finished finished -> v.setAll(finishedView(finished));
        }
        return view;
    }

    private static ObjectNode finishedView(Status.Finished finished) {
        ObjectNode v = NODES.objectNode();
        VerificationResult result = finished.result();
        v.put("status", result.ok() ? "ok" : "failed");
        v.put("checked_at", finished.checkedAt().toString());
        v.put("took_ms", finished.took().toMillis());
        v.put("message", result.summary());
        switch (result) {
            case VerificationResult.Intact intact -> {
                v.put("entries", intact.entries());
                v.put("head", intact.head());
                v.put("uncovered", intact.uncovered());
            }
            case VerificationResult.Broken broken -> v.put("failed_entry", broken.entry());
        }
        v.set("notes", JSON.valueToTree(result.notes()));
        return v;
    }

    static ObjectNode checkpointView(Checkpoint checkpoint) {
        ObjectNode view = NODES.objectNode();
        view.put("chain", checkpoint.chain());
        view.put("size", checkpoint.size());
        view.put("head", checkpoint.head());
        view.put("root", checkpoint.root());
        view.put("time", checkpoint.time().toString());
        view.put("key_id", checkpoint.keyId());
        view.put("signature", checkpoint.signature());
        return view;
    }

    private static ResponseEntity<byte[]> json(int status, @Nullable Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(body));
    }
}
