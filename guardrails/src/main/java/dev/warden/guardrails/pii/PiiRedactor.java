package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.RedactionVault;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Scans with a {@link PiiEngine} and rewrites the findings in one {@link RedactionMode}. Immutable and
 * thread-safe; per-request state lives in the {@link RedactionVault} passed to each call.
 */
public final class PiiRedactor {

    private final PiiEngine engine;
    private final RedactionMode mode;
    private final @Nullable Supplier<byte[]> hashKey;

    private PiiRedactor(PiiEngine engine, RedactionMode mode, @Nullable Supplier<byte[]> hashKey) {
        this.engine = engine;
        this.mode = mode;
        this.hashKey = hashKey;
    }

    /** Typed placeholders with every entity type: the default policy of {@code warden redact}. */
    public static PiiRedactor defaults() {
        return new PiiRedactor(PiiEngine.defaults(), RedactionMode.PLACEHOLDER, null);
    }

    /** Placeholders or reversible tokens. */
    public static PiiRedactor of(PiiEngine engine, RedactionMode mode) {
        requireNonNull(engine, "engine");
        requireNonNull(mode, "mode");
        if (mode == RedactionMode.HASH) {
            throw new IllegalArgumentException("mode: HASH (expected: PLACEHOLDER or TOKEN; use hashing(...) with a key)");
        }
        return new PiiRedactor(engine, mode, null);
    }

    /**
     * Keyed hashes. The key (at least 16 bytes) comes from a secret source; it is fetched per call so rotation
     * takes effect without a restart.
     */
    public static PiiRedactor hashing(PiiEngine engine, Supplier<byte[]> key) {
        requireNonNull(engine, "engine");
        requireNonNull(key, "key");
        return new PiiRedactor(engine, RedactionMode.HASH, key);
    }

    public PiiEngine engine() {
        return engine;
    }

    public RedactionMode mode() {
        return mode;
    }

    /** Redacts a whole text. */
    public RedactedText redact(String text, RedactionVault vault) {
        requireNonNull(text, "text");
        requireNonNull(vault, "vault");
        List<PiiMatch> matches = engine.scan(text);
        if (matches.isEmpty()) {
            return new RedactedText(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length() + 16 * matches.size());
        List<Replacement> replacements = new ArrayList<>(matches.size());
        rewrite(text, matches, 0, text.length(), vault, out, replacements);
        return new RedactedText(out.toString(), replacements);
    }

    /**
     * Appends {@code text[from, to)} to {@code out} with the matches inside that range replaced. Matches must be in
     * position order and must not straddle {@code from} or {@code to}.
     */
    void rewrite(String text, List<PiiMatch> matches, int from, int to, RedactionVault vault, StringBuilder out,
            List<Replacement> replacements) {
        int copied = from;
        for (PiiMatch m : matches) {
            if (m.start() < from || m.end() > to) {
                continue;
            }
            String value = text.substring(m.start(), m.end());
            String replacement = replacement(m.type(), value, vault);
            out.append(text, copied, m.start()).append(replacement);
            replacements.add(new Replacement(m.type(), m.start(), m.end(), replacement));
            copied = m.end();
        }
        out.append(text, copied, to);
    }

    /** The text written instead of {@code value}. */
    String replacement(EntityType type, String value, RedactionVault vault) {
        String normalized = normalize(type, value);
        return switch (mode) {
            case PLACEHOLDER -> vault.placeholder(type.label(), normalized, value, false);
            case TOKEN -> vault.placeholder(type.label(), normalized, value, true);
            case HASH -> "[" + type.label() + ":" + hmac(type.label() + ':' + normalized) + "]";
        };
    }

    private String hmac(String value) {
        byte[] key = requireNonNull(hashKey).get();
        if (key == null || key.length < 16) {
            throw new IllegalStateException("hash key: " + (key == null ? "null" : key.length + " bytes")
                    + " (expected: at least 16 bytes)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Differently written copies of one value share a placeholder: {@code 4111 1111...} and {@code 4111-1111...}. */
    static String normalize(EntityType type, String value) {
        return switch (type) {
            case EMAIL -> value.toLowerCase(Locale.ROOT);
            case PHONE, CREDIT_CARD, US_SSN -> {
                StringBuilder d = new StringBuilder(value.length());
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (Chars.digit(c)) {
                        d.append(c);
                    }
                }
                yield d.toString();
            }
            case IBAN -> value.replace(" ", "").toUpperCase(Locale.ROOT);
            case IP_ADDRESS -> value.toLowerCase(Locale.ROOT);
            default -> value;
        };
    }
}
