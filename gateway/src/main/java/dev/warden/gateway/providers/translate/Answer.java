package dev.warden.gateway.providers.translate;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.pipeline.Usage;
import java.util.List;

/** A complete model answer in no particular protocol: text and tool-call parts, why it stopped, and usage. */
public record Answer(String id, String model, List<Part> parts, StopReason stopReason, Usage usage) {
    public Answer {
        requireNonNull(id, "id");
        requireNonNull(model, "model");
        parts = List.copyOf(parts);
        requireNonNull(stopReason, "stopReason");
        requireNonNull(usage, "usage");
    }

    /** All text parts joined. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    public List<Part.ToolCall> toolCalls() {
        return parts.stream().filter(Part.ToolCall.class::isInstance).map(Part.ToolCall.class::cast).toList();
    }
}
