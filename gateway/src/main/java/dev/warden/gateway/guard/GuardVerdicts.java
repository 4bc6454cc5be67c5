package dev.warden.gateway.guard;

import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.GuardrailResult;
import dev.warden.guardrails.Verdict;
import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** Records guardrail outcomes: a ledger entry with entity types and counts (never values) and verdict metrics. */
public final class GuardVerdicts {
    private final LedgerRecorder recorder;
    private final MeterRegistry meters;

    public GuardVerdicts(LedgerRecorder recorder, MeterRegistry meters) {
        this.recorder = recorder;
        this.meters = meters;
    }

    /** Records the outcome if anything happened (a finding, a block, a failure); before dispatch it must be durable. */
    public void record(Exchange exchange, ChainOutcome outcome, boolean beforeDispatch) {
        for (GuardrailResult result : outcome.results()) {
            String verdict = switch (result.verdict()) {
                case Verdict.Allow allow -> "allow";
                case Verdict.Redact redact -> "redact";
                case Verdict.Block block -> "block";
            };
            meters.counter("warden.guardrail.verdicts", "guardrail", result.guardrail(), "verdict", verdict,
                    "direction", outcome.direction().name().toLowerCase(), "status", result.status().name()
                            .toLowerCase()).increment();
        }
        boolean eventful = outcome.blocked() || !outcome.entityCounts().isEmpty()
                || outcome.results().stream().anyMatch(r -> r.status() != GuardrailResult.Status.OK);
        if (!eventful) {
            return;
        }
        EntryDraft.Builder draft = EntryDraft.builder().kind(EntryKind.GUARDRAIL_VERDICT)
                .source(exchange.inbound().remoteAddress()).requestId(exchange.inbound().requestId())
                .decision(outcome.blocked() ? "block" : outcome.entityCounts().isEmpty() ? "allow" : "redact")
                .attr("direction", outcome.direction().name().toLowerCase())
                .attr("summary", bounded(outcome.summary()));
        for (Map.Entry<String, Integer> count : outcome.entityCounts().entrySet()) {
            draft.attr("entity." + count.getKey(), Integer.toString(count.getValue()));
        }
        if (outcome.blocked()) {
            draft.attr("blocked_by", outcome.blockedBy().guardrail());
        }
        VirtualKey key = exchange.find(VirtualKey.ATTRIBUTE);
        if (key != null) {
            draft.actor(new Actor(key.id(), key.owner(), key.teamId(), key.customerId()));
        }
        if (beforeDispatch) {
            recorder.appendOrThrow(draft.build());
        } else {
            recorder.appendLater(draft.build());
        }
    }

    private static String bounded(String text) {
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }
}
