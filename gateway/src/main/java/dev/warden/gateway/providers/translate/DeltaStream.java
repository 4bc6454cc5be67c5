package dev.warden.gateway.providers.translate;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** A provider's streamed answer as canonical deltas, pulled one at a time. */
public interface DeltaStream extends AutoCloseable {
    /** The next delta, or null when the provider ended the answer. Throws if the stream breaks. */
    @Nullable Delta next() throws IOException;

    /** Releases the upstream connection; safe to call more than once. */
    @Override
    void close();
}
