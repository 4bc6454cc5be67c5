package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.gemini.VertexAiAdapter;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vertex AI: Gemini's format under the project/location path, authenticated with a token obtained from a
 * service-account key (a local token endpoint checks the JWT's RS256 signature with the key's public half).
 */
class VertexAiAdapterTest extends ProviderConformance {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyPair KEYS = generate();
    private static final String ACCESS_TOKEN = "ya29.vertex-canary-token";

    /** Vertex's paths plus an OAuth token endpoint at {@code /token}. */
    static final class VertexWireFake extends GeminiWireFake {
        final AtomicInteger tokensIssued = new AtomicInteger();
        volatile boolean refuseTokens;

        VertexWireFake() {
            super("/v1", "/v1/projects/warden-test/locations/europe-west4/publishers/google/models/");
        }

        String tokenUri() {
            return root() + "/token";
        }

        @Override
        protected boolean side(Received request, HttpExchange exchange) throws IOException {
            if (!request.path().equals("/token")) {
                return false;
            }
            Map<String, String> form = new java.util.HashMap<>();
            for (String pair : request.body().split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            boolean valid = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                    && verify(form.get("assertion"), tokenUri());
            if (refuseTokens || !valid) {
                json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
                return true;
            }
            tokensIssued.incrementAndGet();
            json(exchange, 200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3599,\"token_type\":"
                    + "\"Bearer\"}");
            return true;
        }
    }

    @Override
    protected WireFake startFake() {
        return new VertexWireFake();
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new VertexAiAdapter(http);
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("project", "warden-test", "location", "europe-west4");
    }

    @Override
    protected String credential() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KEYS.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode().put("type", "service_account").put("project_id", "warden-test")
                .put("private_key_id", "k1").put("private_key", pem)
                .put("client_email", "warden@warden-test.iam.gserviceaccount.com")
                .put("token_uri", ((VertexWireFake) fake).tokenUri()).toString();
    }

    @Override
    protected String[] retryAfterHeader() {
        return new String[0];
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + ACCESS_TOKEN)
                .doesNotContainKey("x-goog-api-key");
    }

    @Test
    void tokensAreCachedAcrossCalls() throws Exception {
        fake.script(Script.text("ok"));
        int before = ((VertexWireFake) fake).tokensIssued.get();
        for (int i = 0; i < 3; i++) {
            send(Surface.CHAT_COMPLETIONS, CallerRequests.question(Surface.CHAT_COMPLETIONS, false), false);
        }
        assertThat(((VertexWireFake) fake).tokensIssued.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void aRefusedServiceAccountKeyRestsTheCredential() {
        VertexWireFake vertex = (VertexWireFake) fake;
        vertex.refuseTokens = true;
        try {
            UpstreamCall call = call(Surface.CHAT_COMPLETIONS, CallerRequests.question(Surface.CHAT_COMPLETIONS,
                    false), false, fake.baseUrl());
            // A key never seen before, so the cache cannot answer.
            UpstreamCall other = new UpstreamCall(call.request(), call.endpoint(), call.upstreamModel(), "k2",
                    credential().replace("warden@", "other@"), Map.of(), call.timeout(), call.idleTimeout(),
                    call.exchange());
            UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> adapter.send(other));
            assertThat(failure.credentialRejected()).isTrue();
            assertThat(failure.getMessage()).doesNotContain("PRIVATE KEY");
        } finally {
            vertex.refuseTokens = false;
        }
    }

    static boolean verify(String jwt, String audience) {
        try {
            String[] parts = jwt.split("\\.");
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(KEYS.getPublic());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]))
                    && audience.equals(claims.path("aud").asString())
                    && claims.path("scope").asString().contains("cloud-platform")
                    && claims.path("exp").asLong() > claims.path("iat").asLong();
        } catch (Exception e) {
            return false;
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void countTokensSendsContentsSystemAndToolsAtTheTopLevel() throws Exception {
        fake.script(Script.text("unused"));
        adapter.send(call(Surface.ANTHROPIC_COUNT_TOKENS, COUNT_REQUEST, false, fake.baseUrl()));

        tools.jackson.databind.JsonNode sent = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(fake.last().body());
        assertThat(fake.last().path()).endsWith("/publishers/google/models/upstream-model:countTokens");
        assertThat(sent.has("generateContentRequest")).as("Vertex's shape, not the Gemini API's").isFalse();
        assertThat(sent.path("contents").isArray()).isTrue();
        assertThat(sent.path("tools").toString()).contains("Read");
    }
}
