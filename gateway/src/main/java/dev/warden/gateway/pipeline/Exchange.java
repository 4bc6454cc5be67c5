package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of one request as it moves through the pipeline: what arrived, what each stage found out (as typed
 * attributes), and the time spent waiting on providers, so the gateway's own overhead can be measured.
 *
 * <p>An exchange belongs to one request thread; stream decorators that run later on the same thread may read it.
 */
public final class Exchange {
    private final Inbound inbound;
    private final long startNanos;
    private final Map<Attribute<?>, Object> attributes = new IdentityHashMap<>();
    private long upstreamNanos;

    public Exchange(Inbound inbound, long startNanos) {
        this.inbound = requireNonNull(inbound, "inbound");
        this.startNanos = startNanos;
    }

    public Inbound inbound() {
        return inbound;
    }

    public Surface surface() {
        return inbound.surface();
    }

    public long startNanos() {
        return startNanos;
    }

    public <T> void put(Attribute<T> attribute, T value) {
        attributes.put(requireNonNull(attribute, "attribute"), requireNonNull(value, attribute.name()));
    }

    /** Returns the attribute, failing loudly if the stage that provides it has not run. */
    public <T> T get(Attribute<T> attribute) {
        Object value = attributes.get(attribute);
        if (value == null) {
            throw new IllegalStateException("exchange has no '" + attribute.name()
                    + "': the stage that sets it must run earlier in the pipeline");
        }
        return attribute.type().cast(value);
    }

    public <T> @Nullable T find(Attribute<T> attribute) {
        return attribute.type().cast(attributes.get(attribute));
    }

    /** Adds time spent waiting on a provider; it is subtracted from the total to get the gateway's overhead. */
    public void addUpstreamNanos(long nanos) {
        upstreamNanos += nanos;
    }

    public long upstreamNanos() {
        return upstreamNanos;
    }
}
