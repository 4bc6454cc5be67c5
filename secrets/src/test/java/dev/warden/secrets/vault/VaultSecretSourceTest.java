package dev.warden.secrets.vault;

import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceContract;
import dev.warden.secrets.SecretValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vault through Spring Vault against a local server speaking Vault's HTTP API. The contract runs with AppRole login
 * in an Enterprise namespace on a KV v2 mount; the tests below add token and Kubernetes auth and KV v1.
 */
class VaultSecretSourceTest extends SecretSourceContract {

    private static final String NAMESPACE = "team-a";

    @TempDir
    Path dir;

    private VaultTestServer server;

    @Override
    protected Backend startBackend() {
        String secretId = canary("approle-secret-id");
        server = new VaultTestServer(secretId);
        VaultSecretSource source = new VaultSecretSource(VaultOptions.of(URI.create(server.address()),
                new VaultAuthentication.AppRole(VaultTestServer.ROLE_ID, SecretValue.of(secretId)))
                .withNamespace(NAMESPACE));
        VaultTestServer s = server;
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                s.putKv2("secret", "warden/" + name, Map.of("value", value));
                return "vault://secret/warden/" + name + "#value";
            }

            @Override
            public String putFields(String name, Map<String, String> fields) {
                s.putKv2("secret", "warden/" + name, Map.copyOf(fields));
                return "vault://secret/warden/" + name;
            }

            @Override
            public String missing() {
                return "vault://secret/warden/does-not-exist#value";
            }

            @Override
            public void deny(String name) {
                s.deny("secret/data/warden/" + name);
            }

            @Override
            public void stop() {
                s.http().stop();
            }

            @Override
            public void start() {
                s.http().start();
            }

            @Override
            public int reads() {
                return s.reads();
            }

            @Override
            public boolean can(Capability capability) {
                return true;
            }

            @Override
            public void close() {
                source.close();
                s.close();
            }
        };
    }

    @Test
    void sendsTheNamespaceHeaderOnLoginAndOnReads() {
        String ref = backend.put("ns-check", canary("ns"));
        resolveText(ref);
        assertThat(server.logins()).isEqualTo(1);
        assertThat(server.namespaces()).isNotEmpty().allMatch(NAMESPACE::equals);
    }

    @Test
    void wrongAppRoleSecretIdIsAccessDeniedAndNamesTheAuthMethod() {
        try (VaultSecretSource source = new VaultSecretSource(VaultOptions.of(URI.create(server.address()),
                new VaultAuthentication.AppRole(VaultTestServer.ROLE_ID, SecretValue.of(canary("wrong-id")))))) {
            server.putKv2("secret", "warden/x", Map.of("value", canary("x")));
            assertThatThrownBy(() -> source.fetch(SecretReference.parse("vault://secret/warden/x#value")))
                    .isInstanceOf(SecretAccessDeniedException.class)
                    .hasMessageContaining("AppRole");
        }
    }

    @Test
    void tokenAuthReadsKvVersion1Mount() {
        String token = canary("vault-token");
        server.acceptToken(token);
        String value = canary("kv1");
        server.putKv1("legacy", "providers/anthropic", Map.of("api_key", value));
        VaultOptions options = VaultOptions.of(URI.create(server.address()),
                        new VaultAuthentication.Token(SecretValue.of(token)))
                .withKvVersion("legacy", VaultOptions.KvVersion.V1);
        try (VaultSecretSource source = new VaultSecretSource(options);
             SecretValue fetched = source.fetch(SecretReference.parse("vault://legacy/providers/anthropic#api_key"))) {
            assertThat(fetched.reveal()).isEqualTo(value);
        }
        assertThat(server.logins()).as("a token needs no login").isZero();
    }

    @Test
    void tokenFileIsReadAgainSoATokenRotatedByVaultAgentIsUsed() throws Exception {
        Path tokenFile = dir.resolve("vault-token");
        String first = canary("agent-token-1");
        server.acceptToken(first);
        Files.writeString(tokenFile, first + "\n");
        String value = canary("agent");
        server.putKv2("secret", "warden/agent", Map.of("value", value));
        SecretReference ref = SecretReference.parse("vault://secret/warden/agent#value");
        try (VaultSecretSource source = new VaultSecretSource(VaultOptions.of(URI.create(server.address()),
                new VaultAuthentication.TokenFile(tokenFile)))) {
            try (SecretValue fetched = source.fetch(ref)) {
                assertThat(fetched.reveal()).isEqualTo(value);
            }
            String second = canary("agent-token-2");
            server.acceptToken(second);
            Files.writeString(tokenFile, second + "\n");
            server.revokeToken(first);
            try (SecretValue fetched = source.fetch(ref)) {
                assertThat(fetched.reveal()).as("read with the rewritten token").isEqualTo(value);
            }
            Files.delete(tokenFile);
            assertThatThrownBy(() -> source.fetch(ref))
                    .isInstanceOf(SecretAccessDeniedException.class)
                    .hasMessageContaining("Cannot read the Vault token file");
        }
    }

    @Test
    void kubernetesAuthLogsInWithTheServiceAccountToken() throws Exception {
        String jwt = canary("k8s-jwt");
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, jwt);
        server.acceptKubernetesJwt(jwt);
        String value = canary("k8s");
        server.putKv2("secret", "warden/k8s", Map.of("value", value));
        VaultOptions options = VaultOptions.of(URI.create(server.address()),
                new VaultAuthentication.Kubernetes("kubernetes", VaultTestServer.K8S_ROLE, tokenFile));
        try (VaultSecretSource source = new VaultSecretSource(options);
             SecretValue fetched = source.fetch(SecretReference.parse("vault://secret/warden/k8s"))) {
            assertThat(fetched.reveal()).as("the only field, without #field").isEqualTo(value);
        }
        assertThat(server.logins()).isEqualTo(1);
    }

    @Test
    void sealedVaultIsDownAndItsErrorsAreTransient() {
        String ref = backend.put("sealed", canary("sealed"));
        resolveText(ref);
        server.seal(true);
        assertThat(backend.source().probe().status()).isEqualTo(dev.warden.secrets.SecretSourceHealth.Status.DOWN);
        assertThat(backend.source().probe().detail()).contains("sealed=true");
        assertThatThrownBy(() -> backend.source().fetch(SecretReference.parse(ref)))
                .isInstanceOf(dev.warden.secrets.SecretBackendException.class)
                .hasMessageContaining("503");
        server.seal(false);
        assertThat(backend.source().probe().status()).isEqualTo(dev.warden.secrets.SecretSourceHealth.Status.UP);
    }

    @Test
    void secretWithSeveralFieldsNeedsAField() {
        String ref = backend.putFields("several", Map.of("a", canary("a"), "b", canary("b")));
        assertThatThrownBy(() -> backend.source().fetch(SecretReference.parse(ref)))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("has 2 fields (expected: name one with #<field>)");
    }

    @Test
    void referenceWithoutPathInsideTheMountIsInvalid() {
        assertThatThrownBy(() -> resolver.reference("vault://secret#value"))
                .hasMessageContaining("expected: vault://<mount>/<path>[#<field>]");
        assertThatThrownBy(() -> resolver.reference("vault://secret/../sys/raw#value"))
                .hasMessageContaining("'..'");
    }
}
