package dev.warden.gateway.tracing;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Passes a streamed answer through unchanged and tells a {@link Watcher} how it went: the failure, if a read threw,
 * and, once closed, how many events passed and whether the stream reached its end. The watcher hears {@code closed}
 * after the wrapped stream is closed, so whatever the inner layers do at the end (settling, ledger entries, inner
 * spans) has happened by then.
 */
final class ObservedStream implements EventStream {
    interface Watcher {
        /** A read threw; the failure goes on to the caller unchanged. Called at most once. */
        void failed(Exception failure);

        /** The stream was closed, after {@code events} events; {@code complete} if its end was read. */
        void closed(long events, boolean complete);
    }

    private final EventStream events;
    private final Watcher watcher;
    private long count;
    private boolean complete;
    private boolean failed;
    private boolean closed;

    ObservedStream(EventStream events, Watcher watcher) {
        this.events = events;
        this.watcher = watcher;
    }

    @Override
    public @Nullable SseEvent next() throws IOException {
        SseEvent event;
        try {
            event = events.next();
        } catch (IOException | RuntimeException e) {
            if (!failed) {
                failed = true;
                watcher.failed(e);
            }
            throw e;
        }
        if (event == null) {
            complete = true;
        } else {
            count++;
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
            watcher.closed(count, complete);
        }
    }
}
