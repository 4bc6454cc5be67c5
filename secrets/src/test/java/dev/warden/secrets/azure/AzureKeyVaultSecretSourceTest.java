package dev.warden.secrets.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import dev.warden.secrets.CapturedLogs;
import dev.warden.secrets.LocalHttpServer;
import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretValue;
import dev.warden.secrets.SecretSourceContract;
import dev.warden.secrets.SelfSignedTls;
import dev.warden.secrets.TestHostsResolverProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Azure Key Vault through the Azure SDK's SecretClient, over HTTPS with a certificate made in the test, through the
 * bearer-challenge flow with the SDK's challenge-resource verification left on.
 */
class AzureKeyVaultSecretSourceTest extends SecretSourceContract {

    private static final String VAULT = "wardenkv";
    private static final SelfSignedTls TLS = SelfSignedTls.forNames("*." + TestHostsResolverProvider.AZURE_TEST_DOMAIN,
            TestHostsResolverProvider.ENTRA_TEST_HOST);
    private static final String CLIENT_ID = "3f2b1c9e-0000-4000-8000-00000000beef";

    private KeyVaultTestServer server;
    private String accessToken;
    private final List<List<String>> requestedScopes = new CopyOnWriteArrayList<>();

    @Override
    protected Backend startBackend() {
        String token = canary("entra-access-token");
        accessToken = token;
        server = new KeyVaultTestServer(TLS, VAULT, token);
        // A static token credential: the real DefaultAzureCredential needs Entra ID, which cannot be reached here.
        TokenCredential credential = request -> {
            requestedScopes.add(List.copyOf(request.getScopes()));
            return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
        };
        AzureKeyVaultSecretSource source = new AzureKeyVaultSecretSource(options(credential));
        KeyVaultTestServer s = server;
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                s.put(name, value);
                return "azure-kv://" + VAULT + "/" + name;
            }

            @Override
            public String missing() {
                return "azure-kv://" + VAULT + "/does-not-exist";
            }

            @Override
            public void deny(String name) {
                s.deny(name);
            }

            @Override
            public void stop() {
                s.https().stop();
            }

            @Override
            public void start() {
                s.https().start();
            }

            @Override
            public int reads() {
                return s.reads();
            }

            @Override
            public boolean can(Capability capability) {
                return capability != Capability.FIELDS;
            }

            @Override
            public void close() {
                source.close();
                s.close();
            }
        };
    }

    private AzureKeyVaultOptions options(@Nullable TokenCredential credential) {
        AzureKeyVaultOptions options = AzureKeyVaultOptions.defaults();
        if (credential != null) {
            options = options.withCredential(credential);
        }
        return options
                .withVaultUrlTemplate(server.vaultUrlTemplate())
                .withHttpClient(new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(TLS.client()))
                        .connectionTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(5)).build())
                .withRetries(1, Duration.ofSeconds(5));
    }

    @Test
    void answersTheBearerChallengeWithATokenForTheVaultsResource() {
        String ref = backend.put("challenge", canary("challenge"));
        resolveText(ref);
        assertThat(server.challenges()).as("first request went without a token and was challenged").isEqualTo(1);
        assertThat(requestedScopes).contains(List.of(KeyVaultTestServer.RESOURCE + "/.default"));
        assertThat(server.authorizations()).first().isEqualTo("null");
        assertThat(server.authorizations()).last().asString().startsWith("Bearer ");
        assertThat(CapturedLogs.lines()).as("no per-call warning about restricted headers")
                .noneMatch(line -> line.contains("restricted by 'java.net.http.HttpClient'"));
    }

    @Test
    void clientSecretCredentialGetsItsTokenFromEntraForTheChallengedResource() throws Exception {
        String clientSecret = canary("entra-client-secret");
        List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
        List<String> otherRequests = new CopyOnWriteArrayList<>();
        // The Entra ID v2 token endpoint for the client-credentials grant.
        try (LocalHttpServer entra = new LocalHttpServer(exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("POST")
                    || !path.equals("/" + KeyVaultTestServer.TENANT + "/oauth2/v2.0/token")) {
                otherRequests.add(exchange.getRequestMethod() + " " + path);
                LocalHttpServer.respond(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
                return;
            }
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : LocalHttpServer.body(exchange).split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            tokenRequests.add(form);
            if (!clientSecret.equals(form.get("client_secret")) || !CLIENT_ID.equals(form.get("client_id"))) {
                LocalHttpServer.respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\","
                        + "\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}");
                return;
            }
            LocalHttpServer.respond(exchange, 200, "application/json", "{\"token_type\":\"Bearer\",\"expires_in\":3599,"
                    + "\"ext_expires_in\":3599,\"access_token\":\"" + accessToken + "\"}");
        }, TLS.server())) {
            String authority = "https://" + TestHostsResolverProvider.ENTRA_TEST_HOST + ":" + entra.port();
            String value = canary("via-client-secret");
            backend.put("client-secret-path", value);
            SecretReference ref = SecretReference.parse("azure-kv://" + VAULT + "/client-secret-path");
            try (AzureKeyVaultSecretSource source = new AzureKeyVaultSecretSource(options(null)
                    .withClientSecret(KeyVaultTestServer.TENANT, CLIENT_ID, SecretValue.of(clientSecret))
                    .withAuthority(authority, false));
                 SecretValue fetched = source.fetch(ref)) {
                assertThat(fetched.reveal()).isEqualTo(value);
            }
            assertThat(otherRequests).isEmpty();
            assertThat(tokenRequests).singleElement().satisfies(form -> {
                assertThat(form).containsEntry("grant_type", "client_credentials");
                assertThat(form.get("scope")).contains(KeyVaultTestServer.RESOURCE + "/.default");
            });

            try (AzureKeyVaultSecretSource wrong = new AzureKeyVaultSecretSource(options(null)
                    .withClientSecret(KeyVaultTestServer.TENANT, CLIENT_ID, SecretValue.of(canary("wrong-secret")))
                    .withAuthority(authority, false))) {
                assertThatThrownBy(() -> wrong.fetch(ref))
                        .isInstanceOf(SecretAccessDeniedException.class)
                        .hasMessageContaining("no token");
            }
        }
    }

    @Test
    void readsAPinnedVersion() {
        String old = canary("pinned-old");
        String version = server.put("pinned", old);
        server.put("pinned", canary("pinned-new"));
        assertThat(resolveText("azure-kv://" + VAULT + "/pinned/" + version)).isEqualTo(old);
    }

    @Test
    void invalidNamesAreRejectedWithTheRule() {
        assertThatThrownBy(() -> resolver.reference("azure-kv://kv/secret"))
                .hasMessageContaining("3-24 letters");
        assertThatThrownBy(() -> resolver.reference("azure-kv://wardenkv/under_score"))
                .hasMessageContaining("1-127 letters, digits and -");
        assertThatThrownBy(() -> resolver.reference("azure-kv://wardenkv/name/not-a-version"))
                .hasMessageContaining("32 hex digits");
    }
}
