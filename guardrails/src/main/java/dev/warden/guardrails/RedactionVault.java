package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Per-request redaction state: which placeholder stands for which value, and (for reversible redaction only) the
 * original values so the answer can be restored for the same caller.
 *
 * <p>Same value, same placeholder: {@code alice@example.com} is {@code [EMAIL_1]} everywhere in the request and its
 * answer, so the model can still reason about "the same address". To give that guarantee without keeping raw values
 * in memory for non-reversible modes, values are looked up by an HMAC under a random key that lives and dies with
 * this vault. Only {@link #placeholder(String, String, String, boolean) reversible} entries keep the original.
 *
 * <p>One vault per request; never share one across callers, or one caller's answer could restore another's data.
 * Thread-safe, because the input chain and a streaming output may touch it from different threads.
 */
public final class RedactionVault {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> placeholderByDigest = new HashMap<>();
    private final Map<String, Integer> counterByLabel = new HashMap<>();
    private final Map<String, String> originalByPlaceholder = new HashMap<>();
    private @Nullable Mac mac;
    private int longestPlaceholder;

    /** Creates an empty vault; the HMAC key is drawn on first use, so requests without findings pay nothing. */
    public RedactionVault() {}

    /**
     * The placeholder for a value, numbered per label in order of first appearance: {@code [EMAIL_1]},
     * {@code [EMAIL_2]}, ...
     *
     * @param label the placeholder label, for example {@code EMAIL}
     * @param normalized the value in a canonical form (digits only for cards, lower case for e-mail) so that
     *     differently formatted copies of one value share a placeholder
     * @param original the value as written; kept only when {@code reversible}
     * @param reversible whether {@link #restore} may later put the original back
     */
    public synchronized String placeholder(String label, String normalized, String original, boolean reversible) {
        requireNonNull(label, "label");
        requireNonNull(normalized, "normalized");
        requireNonNull(original, "original");
        String digest = digest(label + '\u0000' + normalized);
        String existing = placeholderByDigest.get(digest);
        if (existing != null) {
            if (reversible) {
                originalByPlaceholder.putIfAbsent(existing, original);
            }
            return existing;
        }
        int n = counterByLabel.merge(label, 1, Integer::sum);
        String placeholder = "[" + label + "_" + n + "]";
        placeholderByDigest.put(digest, placeholder);
        if (reversible) {
            originalByPlaceholder.put(placeholder, original);
        }
        longestPlaceholder = Math.max(longestPlaceholder, placeholder.length());
        return placeholder;
    }

    /** Whether any reversible value was recorded, that is, whether {@link #restore} can change anything. */
    public synchronized boolean hasReversibleValues() {
        return !originalByPlaceholder.isEmpty();
    }

    /**
     * Puts back the originals of reversible placeholders found in {@code text}; other text, and placeholders of
     * non-reversible entries, stay as they are.
     */
    public synchronized String restore(String text) {
        requireNonNull(text, "text");
        if (originalByPlaceholder.isEmpty() || text.indexOf('[') < 0) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = text.indexOf('[');
        while (i >= 0) {
            int close = text.indexOf(']', i + 1);
            if (close < 0) {
                break;
            }
            String original = close - i + 1 <= longestPlaceholder
                    ? originalByPlaceholder.get(text.substring(i, close + 1))
                    : null;
            if (original != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 64);
                }
                out.append(text, copied, i).append(original);
                copied = close + 1;
                i = text.indexOf('[', close + 1);
            } else {
                i = text.indexOf('[', i + 1);
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** A restorer for a streamed answer; placeholders split across chunks are still restored. */
    public StreamingRestorer streamingRestorer() {
        return new StreamingRestorer(this);
    }

    synchronized int longestPlaceholder() {
        return longestPlaceholder;
    }

    private String digest(String value) {
        Mac m = mac;
        if (m == null) {
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            try {
                m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(k, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
            mac = m;
        }
        byte[] d = m.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d, 0, 16);
    }

    /**
     * Restores placeholders in a stream. Holds back at most one possible placeholder prefix (an unclosed
     * {@code [} within the longest placeholder's length), so the answer is delayed by a few characters only.
     */
    public static final class StreamingRestorer {
        private final RedactionVault vault;
        private final StringBuilder pending = new StringBuilder();

        private StreamingRestorer(RedactionVault vault) {
            this.vault = vault;
        }

        /** Returns the restored text that is safe to emit now. */
        public String accept(String chunk) {
            requireNonNull(chunk, "chunk");
            pending.append(chunk);
            int hold = pending.length();
            int open = pending.lastIndexOf("[");
            int max = Math.max(vault.longestPlaceholder(), 1);
            if (open >= 0 && pending.indexOf("]", open) < 0 && pending.length() - open < max) {
                hold = open;
            }
            String ready = pending.substring(0, hold);
            pending.delete(0, hold);
            return vault.restore(ready);
        }

        /** Flushes whatever is held back. */
        public String finish() {
            String rest = pending.toString();
            pending.setLength(0);
            return vault.restore(rest);
        }
    }
}
