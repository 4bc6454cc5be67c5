package dev.warden.gateway.providers;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An event stream over events already in memory (the demo provider, translated short answers). */
public final class ListEventStream implements EventStream {
    private final Iterator<SseEvent> events;

    public ListEventStream(List<SseEvent> events) {
        this.events = List.copyOf(events).iterator();
    }

    @Override
    public @Nullable SseEvent next() {
        return events.hasNext() ? events.next() : null;
    }

    /** Everything is in memory: {@code next} never waits. */
    @Override
    public boolean nextIsBuffered() {
        return true;
    }

    @Override
    public void close() {
        // nothing held
    }
}
