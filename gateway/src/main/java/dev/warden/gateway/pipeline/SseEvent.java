package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** One server-sent event: an optional event name and its data (JSON, or {@code [DONE]}). */
public record SseEvent(@Nullable String event, String data) {
    public static final SseEvent DONE = new SseEvent(null, "[DONE]");

    public SseEvent {
        requireNonNull(data, "data");
    }

    public boolean isDone() {
        return "[DONE]".equals(data);
    }
}
