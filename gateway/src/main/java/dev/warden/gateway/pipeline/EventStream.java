package dev.warden.gateway.pipeline;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A stream of events in the caller's protocol, pulled by the HTTP writer one at a time so nothing is buffered
 * beyond what a stage needs. Decorators (usage capture, output guardrails, audit) wrap it.
 */
public interface EventStream extends AutoCloseable {
    /** The next event, or {@code null} at the end. Throws if the upstream fails mid-stream. */
    @Nullable SseEvent next() throws IOException;

    /**
     * Whether {@link #next} can answer from what has already been received, without waiting for the provider.
     * The HTTP writer flushes to the caller only when this is false, so events that arrived together leave in one
     * write, and an event is never held back while the gateway waits for the next one. Must not block and must not
     * throw; {@code false} is always safe (a flush per event), which is why it is the default. A decorator answers
     * for what it adds: events it holds itself, or its source's answer when it passes events through one for one.
     */
    default boolean nextIsBuffered() {
        return false;
    }

    /** Releases the upstream connection; safe to call more than once. */
    @Override
    void close();
}
