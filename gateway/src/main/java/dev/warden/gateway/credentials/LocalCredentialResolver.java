package dev.warden.gateway.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * References that need no secret manager: {@code env://NAME}, {@code file:///path} (trailing newline trimmed, read
 * at each call so a rotated file is picked up) and, for demos only, a literal value.
 */
public final class LocalCredentialResolver implements CredentialResolver {
    private final Map<String, String> environment;

    public LocalCredentialResolver() {
        this(System.getenv());
    }

    LocalCredentialResolver(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public @Nullable String reveal(@Nullable String reference) throws CredentialUnavailableException {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        if (reference.startsWith("env://")) {
            String name = reference.substring("env://".length());
            String value = environment.get(name);
            if (value == null || value.isEmpty()) {
                throw new CredentialUnavailableException("environment variable " + name + " is not set");
            }
            return value;
        }
        if (reference.startsWith("file://")) {
            Path path = Path.of(reference.substring("file://".length()));
            try {
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CredentialUnavailableException("cannot read secret file " + path);
            }
        }
        return reference;
    }
}
