package dev.warden.secrets.local;

import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;
import org.jspecify.annotations.Nullable;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code env://NAME}: a process environment variable. Meant for the bootstrap credential of another backend (a
 * Vault secret id) and for development; production provider keys belong in a secret manager.
 */
public final class EnvSecretSource implements SecretSource {

    public static final String SCHEME = "env";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, @Nullable String> environment;

    /** Reads {@link System#getenv(String)}. */
    public EnvSecretSource() {
        this(System::getenv);
    }

    /** Reads from {@code environment}, e.g. a map of a child process's environment. */
    public EnvSecretSource(Function<String, @Nullable String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void validate(SecretReference reference) {
        if (!NAME.matcher(reference.location()).matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' is not an environment variable name (expected: env://NAME with letters, digits and _)");
        }
        if (reference.field() != null) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has a #field (expected: env://NAME; environment variables have no fields)");
        }
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        validate(reference);
        String value = environment.apply(reference.location());
        if (value == null) {
            throw new SecretNotFoundException(reference, "environment variable '" + reference.location()
                    + "' is not set (for secret '" + reference + "')");
        }
        return SecretValue.of(value);
    }

    @Override
    public SecretSourceHealth probe() {
        return SecretSourceHealth.up(SCHEME, "process environment");
    }
}
