package dev.warden.sso.admintoken;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a presented bearer value is the bootstrap admin token. The gateway provides one as a bean, usually
 * {@link #sha256(Supplier)} over the hash it stores; the token itself need not be kept anywhere.
 *
 * <p>Contract: must compare in constant time, must not log or keep the presented value, never throws for a wrong
 * token (returns false).
 */
@FunctionalInterface
public interface AdminTokenVerifier {

    boolean matches(String presentedToken);

    /**
     * Whether a token is set at all. When false, the console sign-in form is not offered (it could never succeed);
     * bearer checks still run and fail.
     */
    default boolean configured() {
        return true;
    }

    /**
     * A verifier that hashes the presented token with SHA-256 and compares it in constant time with
     * {@code expectedSha256}, read on every call so that a rotated token takes effect at once. A supplier that
     * returns {@code null} means "no admin token is set": nothing matches.
     *
     * <p>SHA-256 without salt or stretching is right here, unlike for passwords: the token is 32+ random bytes made by
     * the gateway, so there is nothing to guess.
     */
    static AdminTokenVerifier sha256(Supplier<byte @Nullable []> expectedSha256) {
        requireNonNull(expectedSha256, "expectedSha256");
        return presented -> {
            byte[] expected = expectedSha256.get();
            if (expected == null || expected.length != 32) {
                return false;
            }
            // MessageDigest.isEqual is constant time for equal lengths; both are 32 bytes here.
            return MessageDigest.isEqual(expected, sha256Of(presented));
        };
    }

    /** A verifier for a fixed hash given as 64 hex digits ({@code warden.sso.admin-token.sha256}). */
    static AdminTokenVerifier sha256Hex(String hex) {
        byte[] expected = parseSha256Hex(hex);
        return sha256(() -> expected);
    }

    /** SHA-256 of the UTF-8 bytes of {@code token}. */
    static byte[] sha256Of(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Lower-case hex SHA-256 of {@code token}: what to put in {@code warden.sso.admin-token.sha256}. */
    static String sha256HexOf(String token) {
        return HexFormat.of().formatHex(sha256Of(token));
    }

    private static byte[] parseSha256Hex(String hex) {
        String trimmed = hex.trim();
        if (!trimmed.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("warden.sso.admin-token.sha256: " + trimmed.length()
                    + " characters (expected: 64 hex digits, the SHA-256 of the token)");
        }
        return HexFormat.of().parseHex(trimmed);
    }
}
