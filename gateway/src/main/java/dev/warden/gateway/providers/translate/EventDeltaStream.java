package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Turns a provider's raw events into deltas; one event may yield several deltas (or none). */
public abstract class EventDeltaStream implements DeltaStream {
    private final EventStream source;
    private final ArrayDeque<Delta> pending = new ArrayDeque<>();
    private boolean ended;

    protected EventDeltaStream(EventStream source) {
        this.source = source;
    }

    /** Reads one event; returns false when the event ends the answer. */
    protected abstract boolean read(SseEvent event, Consumer<Delta> out) throws IOException;

    /** Deltas to add when the provider's stream ends (e.g. a stop reason held back). */
    protected List<Delta> atEnd() {
        return List.of();
    }

    /**
     * Whether the provider said its answer was over (a stop reason, a terminal event). A stream that ends without
     * it was cut short: that is a failure, never a quietly shorter answer.
     */
    protected abstract boolean finished();

    @Override
    public final @Nullable Delta next() throws IOException {
        while (pending.isEmpty()) {
            if (ended) {
                return null;
            }
            SseEvent event = source.next();
            if (event == null && !finished()) {
                throw new IOException("provider stream ended before the answer was complete");
            }
            if (event == null || !read(event, pending::add)) {
                ended = true;
                pending.addAll(atEnd());
            }
        }
        return pending.poll();
    }

    @Override
    public final void close() {
        source.close();
    }
}
