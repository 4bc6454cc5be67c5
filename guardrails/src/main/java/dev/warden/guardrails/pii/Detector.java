package dev.warden.guardrails.pii;

import java.util.List;

/**
 * One hand-written scanner. Scans the whole text once and appends its findings; overlaps between detectors are
 * resolved by the {@link PiiEngine}. Implementations are stateless and thread-safe.
 */
interface Detector {

    /** The longest match this detector can produce, in chars; bounds the streaming window. */
    int maxLength();

    void scan(String text, List<PiiMatch> out);
}
