package dev.warden.secrets.local;

import dev.warden.secrets.CountingSource;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretValue;
import dev.warden.secrets.SecretSourceContract;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Environment variables: the environment is a map here, as the JVM cannot change its own. */
class EnvSecretSourceTest extends SecretSourceContract {

    private final Map<String, String> environment = new ConcurrentHashMap<>();

    @Override
    protected Backend startBackend() {
        CountingSource source = new CountingSource(new EnvSecretSource(environment::get));
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                String variable = name.toUpperCase().replace('-', '_');
                environment.put(variable, value);
                return "env://" + variable;
            }

            @Override
            public String missing() {
                return "env://WARDEN_DOES_NOT_EXIST";
            }

            @Override
            public int reads() {
                return source.fetches();
            }

            @Override
            public boolean can(Capability capability) {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void realProcessEnvironmentIsReadByDefault() {
        String path = System.getenv("PATH");
        try (SecretValue value = new EnvSecretSource().fetch(SecretReference.parse("env://PATH"))) {
            assertThat(value.reveal()).isEqualTo(path);
        }
    }

    @Test
    void namesMustBeVariableNames() {
        assertThatThrownBy(() -> resolver.reference("env://OPENAI-KEY"))
                .hasMessageContaining("expected: env://NAME");
    }
}
