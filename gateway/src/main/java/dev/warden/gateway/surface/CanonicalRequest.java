package dev.warden.gateway.surface;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.pipeline.Attribute;
import dev.warden.gateway.pipeline.Surface;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request once its protocol has been parsed and checked: which surface, which model, streamed or not, and the
 * body as a JSON tree that keeps every field the caller sent (unknown fields pass through to the provider).
 *
 * @param clientWantsUsage whether the caller asked for usage in the stream; the gateway always asks the provider
 *                         for it (spend must be metered on streams too) and hides it from callers who did not ask
 */
public record CanonicalRequest(Surface surface, String model, boolean stream, ObjectNode body,
                               boolean clientWantsUsage) {
    public static final Attribute<CanonicalRequest> ATTRIBUTE = Attribute.of("request", CanonicalRequest.class);

    public CanonicalRequest {
        requireNonNull(surface, "surface");
        requireNonNull(model, "model");
        requireNonNull(body, "body");
    }
}
