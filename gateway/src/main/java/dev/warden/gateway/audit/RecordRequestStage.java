package dev.warden.gateway.audit;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.ledger.EntryKind;

/**
 * Stage 6: the request entry — who, from where, which model, a keyed digest of the (already redacted) body — is
 * durable in the ledger before the request leaves for a provider. If the ledger cannot take it, the request is
 * refused with 503 and nothing is sent (fail closed).
 */
public final class RecordRequestStage implements Stage {
    private final LedgerRecorder recorder;

    public RecordRequestStage(LedgerRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        recorder.appendOrThrow(AuditStage.common(exchange, EntryKind.REQUEST).decision("forwarded")
                .requestDigest(recorder.digest(exchange.inbound().body())).build());
        return chain.proceed(exchange);
    }
}
