package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.io.IOException;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A provider's deltas rendered in the caller's protocol. Usage is put on the exchange as it is reported, so
 * governance charges streamed answers too. If the provider's stream ends without a stop, the encoder still closes
 * the caller's stream properly; if it breaks, the failure propagates and the stream terminator ends it.
 */
public final class TranslatedEventStream implements EventStream {
    private final DeltaStream deltas;
    private final StreamEncoder encoder;
    private final Exchange exchange;
    private final ArrayDeque<SseEvent> pending = new ArrayDeque<>();
    private boolean finished;

    public TranslatedEventStream(DeltaStream deltas, StreamEncoder encoder, Exchange exchange) {
        this.deltas = deltas;
        this.encoder = encoder;
        this.exchange = exchange;
    }

    /**
     * Reads the provider's first delta now, before the answer is committed, so a provider that fails at once is
     * failed over rather than relayed. Returns false if the provider ended the stream without sending anything.
     */
    public boolean prime() throws IOException {
        Delta first = deltas.next();
        if (first == null) {
            return false;
        }
        accept(first);
        return true;
    }

    @Override
    public @Nullable SseEvent next() throws IOException {
        while (pending.isEmpty()) {
            if (finished) {
                return null;
            }
            Delta delta = deltas.next();
            if (delta == null) {
                finished = true;
                pending.addAll(encoder.finish());
                recordUsage();
            } else {
                accept(delta);
            }
        }
        return pending.poll();
    }

    private void accept(Delta delta) {
        pending.addAll(encoder.encode(delta));
        if (delta instanceof Delta.UsageReport) {
            recordUsage();
        }
    }

    private void recordUsage() {
        Usage usage = encoder.usage();
        if (!usage.equals(Usage.NONE)) {
            exchange.put(Usage.ATTRIBUTE, usage);
        }
    }

    /** Only what is already encoded: the provider's deltas are not known to be buffered. */
    @Override
    public boolean nextIsBuffered() {
        return !pending.isEmpty() || finished;
    }

    @Override
    public void close() {
        deltas.close();
    }
}
