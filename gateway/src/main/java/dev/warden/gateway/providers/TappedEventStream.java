package dev.warden.gateway.providers;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A provider stream passed through, each event shown to a tap on the way (to record usage; a filtering tap may also
 * drop an event, such as a usage-only chunk the caller did not ask for), with the first event read ahead of time so
 * failover happens before anything reaches the caller.
 */
public final class TappedEventStream implements EventStream {
    private final EventStream source;
    private final Predicate<SseEvent> keep;
    private @Nullable SseEvent pushedBack;
    private @Nullable Exception failure; // an IOException or a RuntimeException, thrown by the next call to next()
    private boolean ended;

    public TappedEventStream(EventStream source, Consumer<SseEvent> tap) {
        this(source, event -> {
            tap.accept(event);
            return true;
        });
    }

    /** With a tap that sees every event and answers whether it is passed on. */
    public TappedEventStream(EventStream source, Predicate<SseEvent> keep) {
        this.source = source;
        this.keep = keep;
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
        if (ended) {
            return null;
        }
        if (failure != null) {
            Exception e = failure;
            failure = null;
            ended = true;
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        SseEvent event;
        do {
            event = source.next();
        } while (event != null && !keep.test(event));
        return event;
    }

    /**
     * Reads ahead through what the source already holds, so an event the tap drops is not mistaken for one that can
     * be passed on without waiting: the kept event is pushed back for {@link #next}, and a read failure is kept for it
     * too. Never waits, since the source only reads what it says is buffered.
     */
    @Override
    public boolean nextIsBuffered() {
        if (pushedBack != null || ended || failure != null) {
            return true;
        }
        try {
            while (source.nextIsBuffered()) {
                SseEvent event = source.next();
                if (event == null) {
                    ended = true;
                    return true;
                }
                if (keep.test(event)) {
                    pushedBack = event;
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        source.close();
    }
}
