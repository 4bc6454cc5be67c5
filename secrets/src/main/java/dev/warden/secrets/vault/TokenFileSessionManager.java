package dev.warden.secrets.vault;

import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.SessionManager;
import org.springframework.vault.support.VaultToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the Vault token from a file on every call. Secret reads are rare (once per TTL per reference), so reading a
 * small file each time costs nothing and always uses the token Vault Agent wrote last.
 */
final class TokenFileSessionManager implements SessionManager {

    private final Path file;

    TokenFileSessionManager(Path file) {
        this.file = file;
    }

    @Override
    public VaultToken getSessionToken() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // No IOException as cause: a missing token file is a credential problem, not an unreachable Vault.
            throw new VaultException("Cannot read the Vault token file " + file + ": " + e.getClass().getSimpleName());
        }
        try {
            String token = new String(bytes, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new VaultException("The Vault token file " + file + " is empty");
            }
            return VaultToken.of(token.toCharArray());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
