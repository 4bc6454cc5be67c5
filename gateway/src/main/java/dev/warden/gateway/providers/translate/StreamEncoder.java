package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.List;

/**
 * Renders canonical deltas as one caller protocol's stream events. Stateful, one per stream: call {@link #encode}
 * for each delta in order, then {@link #finish} once, which closes open blocks and emits the terminal events
 * (with usage) whether or not the provider sent a stop reason.
 */
public interface StreamEncoder {
    List<SseEvent> encode(Delta delta);

    List<SseEvent> finish();

    /** Usage seen so far (merged across reports). */
    Usage usage();
}
