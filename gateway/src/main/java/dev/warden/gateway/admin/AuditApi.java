package dev.warden.gateway.admin;

import static dev.warden.gateway.admin.AdminApi.json;
import static dev.warden.gateway.admin.AdminApi.putNullable;

import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.audit.LedgerVerification;
import dev.warden.gateway.audit.LedgerVerification.Status;
import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Head;
import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.query.EntryDetail;
import dev.warden.ledger.query.EntryFilter;
import dev.warden.ledger.query.LedgerQuery;
import dev.warden.ledger.query.LedgerSearch;
import dev.warden.ledger.query.SearchPage;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.WardenPrincipals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit trail for the console: search, one entry with its inclusion proof in a signed checkpoint, this
 * replica's ledger status and its verification (the same checks as {@code warden ledger verify}). Reading the trail needs {@link Permission#AUDIT_READ}, a global-only permission.
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

    /**
     * Runs a verification now (or joins the one running) and answers its result, or "running" after 20 s.
     * {@code mode}: {@code full} (the default: the whole ledger) or {@code incremental} (what is new since the last
     * intact run, as the scheduled runs do).
     */
    @PostMapping("/ledger/verify")
    public ResponseEntity<byte[]> verify(@RequestParam(defaultValue = "full") String mode) {
        guard.require(WardenPrincipals.require(), Permission.AUDIT_READ, null);
        LedgerVerification.Mode how = switch (mode) {
            case "full" -> LedgerVerification.Mode.FULL;
            case "incremental" -> LedgerVerification.Mode.INCREMENTAL;
            default -> throw new AdminException("mode", "mode: \"" + mode + "\" (expected: full or incremental)");
        };
        Status status = verification.verify(how, VERIFY_WAIT);
        return json(status instanceof Status.Running ? 202 : 200, statusView(status));
    }

    /**
     * Searches the trail, newest first: {@code kind} (comma-separated wire names), {@code user}, {@code key},
     * {@code team}, {@code customer}, {@code model}, {@code request_id}, {@code from}/{@code to} (ISO-8601 instants,
     * {@code to} exclusive), {@code limit} (1..500, default 50) and {@code before} (the cursor of the previous page).
     */
    @GetMapping("/audit/entries")
    public ResponseEntity<byte[]> search(@RequestParam(required = false) @Nullable String kind,
                                         @RequestParam(required = false) @Nullable String user,
                                         @RequestParam(required = false) @Nullable String key,
                                         @RequestParam(required = false) @Nullable String team,
                                         @RequestParam(required = false) @Nullable String customer,
                                         @RequestParam(required = false) @Nullable String model,
                                         @RequestParam(name = "request_id", required = false) @Nullable String requestId,
                                         @RequestParam(required = false) @Nullable String from,
                                         @RequestParam(required = false) @Nullable String to,
                                         @RequestParam(defaultValue = "50") String limit,
                                         @RequestParam(required = false) @Nullable String before) {
        guard.require(WardenPrincipals.require(), Permission.AUDIT_READ, null);
        EntryFilter.Builder filter = EntryFilter.builder().user(blankToNull(user)).keyId(blankToNull(key))
                .team(blankToNull(team)).customer(blankToNull(customer)).model(blankToNull(model))
                .requestId(blankToNull(requestId)).from(instant("from", from)).to(instant("to", to));
        if (kind != null && !kind.isBlank()) {
            Set<EntryKind> kinds = new LinkedHashSet<>();
            for (String name : kind.split(",")) {
                kinds.add(EntryKind.fromWire(name.strip()).orElseThrow(() -> new AdminException("kind", "kind: \""
                        + name.strip() + "\" (expected: one of " + Arrays.stream(EntryKind.values())
                        .map(EntryKind::wireName).toList() + ")")));
            }
            filter.kinds(kinds);
        }
        int size = number("limit", limit, 1, LedgerQuery.MAX_LIMIT);
        EntryFilter built;
        try {
            built = filter.build();
        } catch (IllegalArgumentException e) {
            throw new AdminException("from", "from: " + from + " to: " + to + " (expected: from before to)");
        }
        LedgerQuery query = LedgerQuery.newest(built, size);
        if (before != null && !before.isBlank()) {
            query = query.before(number("before", before, 0, Long.MAX_VALUE));
        }
        SearchPage page;
        try {
            page = LedgerSearch.search(ledger.dir(), query);
        } catch (IllegalStateException e) {
            throw damaged(e);
        }
        ObjectNode view = NODES.objectNode();
        view.put("object", "list");
        ArrayNode data = view.putArray("data");
        page.entries().forEach(entry -> data.add(summary(entry)));
        if (page.nextBeforeSeq() == null) {
            view.putNull("next_before");
        } else {
            view.put("next_before", page.nextBeforeSeq());
        }
        view.put("scanned", page.scanned());
        return json(200, view);
    }

    /** One entry as written, with the signed checkpoint that covers it and the proof that it is included there. */
    @GetMapping("/audit/entries/{seq}")
    public ResponseEntity<byte[]> entry(@PathVariable String seq) {
        guard.require(WardenPrincipals.require(), Permission.AUDIT_READ, null);
        long number = number("seq", seq, 0, Long.MAX_VALUE);
        Optional<EntryDetail> found;
        try {
            found = LedgerSearch.entry(ledger.dir(), number);
        } catch (IllegalStateException e) {
            throw damaged(e);
        }
        EntryDetail detail = found.orElseThrow(() ->
                new AdminException(404, "seq", "entry " + number + " is not in this replica's ledger (chain "
                        + ledger.chainId() + ")"));
        ObjectNode view = NODES.objectNode();
        view.put("object", "ledger_entry");
        view.put("seq", detail.entry().seq());
        view.put("hash", detail.entry().hash());
        view.set("entry", JSON.readTree(detail.entry().line()));
        EntryDetail.Inclusion inclusion = detail.inclusion();
        if (inclusion == null) {
            view.putNull("checkpoint");
            view.putNull("inclusion");
        } else {
            view.set("checkpoint", checkpointView(inclusion.checkpoint()));
            ObjectNode proof = view.putObject("inclusion");
            proof.put("verified", inclusion.verified());
            proof.put("index", inclusion.proof().index());
            proof.put("tree_size", inclusion.proof().treeSize());
            proof.set("path", JSON.valueToTree(inclusion.proof().path()));
        }
        return json(200, view);
    }

    /** A line that is not a valid entry: the ledger was damaged or edited. Said plainly, never as a stack trace. */
    private static AdminException damaged(IllegalStateException e) {
        return new AdminException(503, null, "The audit ledger could not be read: " + e.getMessage()
                + ". Run a verification (POST /admin/api/ledger/verify) and investigate before trusting this replica.");
    }

    private static ObjectNode summary(LedgerEntry entry) {
        ObjectNode row = NODES.objectNode();
        row.put("seq", entry.seq());
        row.put("time", entry.time().toString());
        row.put("kind", entry.kind());
        Actor actor = entry.actor();
        putNullable(row, "user", actor == null ? null : actor.user());
        putNullable(row, "key", actor == null ? null : actor.keyId());
        putNullable(row, "team", actor == null ? null : actor.team());
        putNullable(row, "customer", actor == null ? null : actor.customer());
        putNullable(row, "model", entry.model());
        putNullable(row, "provider", entry.provider());
        putNullable(row, "decision", entry.decision());
        if (entry.status() == null) {
            row.putNull("status");
        } else {
            row.put("status", entry.status());
        }
        putNullable(row, "cost_usd", entry.costUsd() == null ? null : entry.costUsd().toPlainString());
        putNullable(row, "request_id", entry.requestId());
        putNullable(row, "source", entry.source());
        String summary = entry.attrs().get("summary");
        if (summary == null) {
            summary = entry.attrs().get("target") != null ? entry.decision() + " " + entry.attrs().get("target")
                    : entry.attrs().get("reason");
        }
        putNullable(row, "summary", summary);
        row.put("sealed_body", entry.requestBody() != null || entry.responseBody() != null);
        return row;
    }

    private static @Nullable Instant instant(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw new AdminException(field, field + ": \"" + value + "\" (expected: an ISO-8601 instant such as"
                        + " 2026-11-25T00:00:00Z, or a date)");
            }
        }
    }

    private static long number(String field, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AdminException(field, field + ": \"" + value + "\" (expected: an integer in " + min + ".."
                + (max == Long.MAX_VALUE ? "" : Long.toString(max)) + ")");
    }

    private static int number(String field, String value, int min, int max) {
        return (int) number(field, value, (long) min, (long) max);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
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
        v.put("mode", finished.full() ? "full" : "incremental");
        if (finished.full()) {
            v.put("full_because", finished.fullBecause());
        }
        v.put("entries_read", finished.entriesRead());
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
}
