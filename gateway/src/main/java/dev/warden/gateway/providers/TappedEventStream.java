package dev.warden.gateway.providers;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A provider stream passed through unchanged, each event shown to a tap on the way (to record usage), with the
 * first event read ahead of time so failover happens before anything reaches the caller.
 */
public final class TappedEventStream implements EventStream {
    private final EventStream source;
    private final Consumer<SseEvent> tap;
    private @Nullable SseEvent pushedBack;

    public TappedEventStream(EventStream source, Consumer<SseEvent> tap) {
        this.source = source;
        this.tap = tap;
    }

    /**
     * Reads the first event now; returns false if the stream ended without one. Throws what the read threw.
     */
    public boolean prime() throws IOException {
        SseEvent first = next();
        pushedBack = first;
        return first != null;
    }

    @Override
    public @Nullable SseEvent next() throws IOException {
        if (pushedBack != null) {
            SseEvent event = pushedBack;
            pushedBack = null;
            return event;
        }
        SseEvent event = source.next();
        if (event != null) {
            tap.accept(event);
        }
        return event;
    }

    @Override
    public void close() {
        source.close();
    }
}
