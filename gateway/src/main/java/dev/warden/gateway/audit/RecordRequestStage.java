package dev.warden.gateway.audit;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.surface.CanonicalRequest;
import dev.warden.ledger.EntryDraft;
import tools.jackson.databind.json.JsonMapper;
import dev.warden.ledger.EntryKind;

/**
 * Stage 6: the request entry — who, from where, which model, a keyed digest of the caller's body and, when bodies
 * are captured, the request as it leaves (after redaction) sealed under the data subject's key — is
 * durable in the ledger before the request leaves for a provider. If the ledger cannot take it, the request is
 * refused with 503 and nothing is sent (fail closed).
 */
public final class RecordRequestStage implements Stage {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LedgerRecorder recorder;
    private final BodyCapture bodies;

    public RecordRequestStage(LedgerRecorder recorder, BodyCapture bodies) {
        this.recorder = recorder;
        this.bodies = bodies;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        byte[] body = exchange.inbound().body();
        EntryDraft.Builder entry = AuditStage.common(exchange, EntryKind.REQUEST).decision("forwarded")
                .requestDigest(recorder.digest(body));
        if (bodies.enabled()) {
            // The sealed body is the request as it leaves, after the input guardrails' redactions.
            CanonicalRequest request = exchange.find(CanonicalRequest.ATTRIBUTE);
            bodies.request(exchange, request == null ? body : JSON.writeValueAsBytes(request.body()), entry);
        }
        recorder.appendOrThrow(entry.build());
        return chain.proceed(exchange);
    }
}
