package dev.warden.gateway.audit;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.governance.Charge;
import dev.warden.gateway.governance.Money;
import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.routing.RouteResult;
import dev.warden.gateway.surface.CanonicalRequest;
import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the whole pipeline, so every outcome is in the ledger: a refused request (malformed, 401, 403, 402, 429,
 * guardrail block, provider failure) becomes a {@code rejection} entry; an answered one a {@code response} entry with
 * provider, tokens, cost, latency and a keyed digest of the answer — for streams written when the stream ends, with
 * the digest computed as the events pass. The request entry itself is written by {@link RecordRequestStage}, durably,
 * just before the request leaves; outcome entries join the next group commit without holding the caller.
 */
public final class AuditStage implements Stage {
    private final LedgerRecorder recorder;
    private final BodyCapture bodies;

    public AuditStage(LedgerRecorder recorder, BodyCapture bodies) {
        this.recorder = recorder;
        this.bodies = bodies;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        Reply reply;
        try {
            reply = chain.proceed(exchange);
        } catch (GatewayException e) {
            EntryDraft.Builder rejection = common(exchange, EntryKind.REJECTION).status(e.status())
                    .decision(e.kind().code());
            recorder.appendLater(rejection.build());
            throw e;
        }
        return switch (reply) {
            case Reply.Json json -> {
                EntryDraft.Builder entry = response(exchange, json.status(), recorder.digest(json.body()));
                bodies.response(exchange, json.body(), entry);
                recorder.appendLater(entry.build());
                yield json;
            }
            case Reply.Stream stream -> new Reply.Stream(new RecordingStream(stream.events(), exchange),
                    stream.headers());
        };
    }

    private EntryDraft.Builder response(Exchange exchange, int status, String digest) {
        EntryDraft.Builder draft = common(exchange, EntryKind.RESPONSE).status(status).decision("answered")
                .responseDigest(digest);
        RouteResult route = exchange.find(RouteResult.ATTRIBUTE);
        if (route != null) {
            draft.provider(route.provider()).attr("upstream_model", route.model()).attr("credential", route.credentialId())
                    .attr("attempts", Integer.toString(route.attempts()));
        }
        Usage usage = exchange.find(Usage.ATTRIBUTE);
        if (usage != null) {
            draft.tokens(new Tokens(usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens(),
                    usage.reasoningTokens()));
        }
        Charge charge = exchange.find(Charge.ATTRIBUTE);
        if (charge != null) {
            draft.costUsd(Money.usd(charge.costNanos()));
            if (charge.estimated()) {
                draft.attr("cost", "reservation charged: no usage reported");
            }
        }
        return draft;
    }

    static EntryDraft.Builder common(Exchange exchange, EntryKind kind) {
        EntryDraft.Builder draft = EntryDraft.builder().kind(kind)
                .source(exchange.inbound().remoteAddress())
                .requestId(exchange.inbound().requestId())
                .latencyMs((System.nanoTime() - exchange.startNanos()) / 1_000_000)
                .attr("surface", exchange.surface().label());
        VirtualKey key = exchange.find(VirtualKey.ATTRIBUTE);
        if (key != null) {
            draft.actor(new Actor(key.id(), key.owner(), key.teamId(), key.customerId()))
                    .policyVersion(Long.toString(key.version()));
        }
        CanonicalRequest request = exchange.find(CanonicalRequest.ATTRIBUTE);
        if (request != null) {
            draft.model(request.model());
            if (request.stream()) {
                draft.attr("stream", "true");
            }
        }
        return draft;
    }

    /** Hashes the events as they pass and writes the response entry when the stream is closed. */
    private final class RecordingStream implements EventStream {
        private final EventStream events;
        private final Exchange exchange;
        private final MessageDigest sha256;
        private final BodyCapture.StreamBuffer kept = bodies.streamBuffer();
        private boolean closed;

        RecordingStream(EventStream events, Exchange exchange) {
            this.events = events;
            this.exchange = exchange;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public @Nullable SseEvent next() throws IOException {
            SseEvent event = events.next();
            if (event != null) {
                sha256.update(event.data().getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) '\n');
                kept.add(event.data());
            }
            return event;
        }

        @Override
        public boolean nextIsBuffered() {
            return events.nextIsBuffered();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                events.close();
            } finally {
                // Keyed digest of the SHA-256 of the streamed data: the stream is never held in memory.
                EntryDraft.Builder entry = response(exchange, 200, recorder.digest(sha256.digest()))
                        .attr("digest", "hmac(sha256(stream data))");
                bodies.response(exchange, kept, entry);
                recorder.appendLater(entry.build());
            }
        }
    }
}
