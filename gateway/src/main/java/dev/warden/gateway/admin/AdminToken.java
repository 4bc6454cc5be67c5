package dev.warden.gateway.admin;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The bootstrap admin token (break-glass access to the admin API). Only its hash is kept in memory. It comes from
 * {@code warden.admin.token} (a secret reference); in demo mode without one, a token is generated once and kept in
 * {@code <data-dir>/demo/admin-token} (mode 600) so it survives restarts. Without either, token access is off.
 */
@Component
public class AdminToken {
    private final @Nullable String hash;
    private final @Nullable String demoToken;

    public AdminToken(WardenProperties properties, CredentialResolver credentials) {
        String configured;
        try {
            configured = credentials.reveal(properties.admin().token());
        } catch (CredentialResolver.CredentialUnavailableException e) {
            throw new ConfigurationError("warden.admin.token", "(secret reference)", "a resolvable secret: "
                    + e.getMessage());
        }
        if (configured != null && configured.length() < 16) {
            throw new ConfigurationError("warden.admin.token", "(" + configured.length() + " characters)",
                    "at least 16 characters");
        }
        if (configured == null && properties.demo()) {
            configured = demoToken(properties.dataDir().resolve("demo").resolve("admin-token"));
            this.demoToken = configured;
        } else {
            this.demoToken = null;
        }
        this.hash = configured == null ? null : KeyMaterial.hash(configured);
    }

    public boolean enabled() {
        return hash != null;
    }

    /** Constant-time check of a presented token. */
    public boolean matches(@Nullable String presented) {
        return hash != null && presented != null && KeyMaterial.sameSecret(presented, hash);
    }

    /** The generated demo token, to print once at start; null outside demo mode. */
    @Nullable String demoToken() {
        return demoToken;
    }

    private static String demoToken(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (existing.length() >= 16) {
                    return existing;
                }
            }
            Files.createDirectories(file.getParent());
            String token = "wadm-" + KeyMaterial.newKey().substring(KeyMaterial.PREFIX.length());
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            restrict(file);
            return token;
        } catch (IOException e) {
            throw new ConfigurationError("warden.data-dir", file.getParent().toString(),
                    "a writable directory for the demo admin token (" + e.getClass().getSimpleName() + ")");
        }
    }

    static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system; the file stays with the default permissions
        }
    }
}
