package dev.warden.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Creates and hashes virtual keys. A key is {@code wk-} and 43 base64url characters (256 random bits); the prefix
 * lets secret scanners recognise leaked keys. With that much entropy a plain SHA-256 is a safe stored form.
 */
public final class KeyMaterial {
    public static final String PREFIX = "wk-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String newId(String prefix) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A display hint that identifies a key without revealing it: {@code wk-AbCd…wXyZ}. */
    public static String hint(String key) {
        return key.length() < 12 ? PREFIX + "…" : key.substring(0, 7) + "…" + key.substring(key.length() - 4);
    }

    /** Constant-time comparison for secrets presented by callers. */
    public static boolean sameSecret(String presented, String expectedHashHex) {
        return MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
                expectedHashHex.getBytes(StandardCharsets.US_ASCII));
    }
}
