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

    /** Releases the upstream connection; safe to call more than once. */
    @Override
    void close();
}
