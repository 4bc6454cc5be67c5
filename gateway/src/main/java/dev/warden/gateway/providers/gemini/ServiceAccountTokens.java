package dev.warden.gateway.providers.gemini;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth access tokens for a Google service account, from its JSON key: a JWT (RS256) signed with the account's
 * private key is exchanged at the key's {@code token_uri} (grant type {@code jwt-bearer}, scope cloud-platform).
 * Tokens are cached per key until a minute before they expire. A token endpoint that rejects the key makes the
 * credential rejected (401), so the router rests it like a provider's 401.
 */
final class ServiceAccountTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private record Token(String value, Instant expires) {
    }

    private final UpstreamHttp http;
    private final Clock clock;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();

    ServiceAccountTokens(UpstreamHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    String token(UpstreamCall call, String keyJson) throws UpstreamException {
        String cacheKey = HexFormat.of().formatHex(sha256(keyJson));
        Token cached = cache.get(cacheKey);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.expires().minusSeconds(60))) {
            return cached.value();
        }
        JsonNode key;
        try {
            key = JSON.readTree(keyJson);
        } catch (JacksonException e) {
            throw rejected(call, "the credential is not a service-account JSON key");
        }
        String email = key.path("client_email").asString("");
        String pem = key.path("private_key").asString("");
        URI tokenUri = URI.create(key.path("token_uri").asString("https://oauth2.googleapis.com/token"));
        if (email.isEmpty() || pem.isEmpty()) {
            throw rejected(call, "the service-account key has no client_email or private_key");
        }
        String assertion = jwt(email, tokenUri, pem, now, call);
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + assertion;
        HttpRequest request = HttpRequest.newBuilder(tokenUri).timeout(call.timeout())
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw UpstreamException.connect("cannot reach the token endpoint of " + call.endpoint().name());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.connect("interrupted while fetching a token for " + call.endpoint().name());
        }
        byte[] body = UpstreamResponses.readBounded(response, 64 * 1024, http.watchdog(), call.idleTimeout());
        if (response.statusCode() == 400 || response.statusCode() == 401 || response.statusCode() == 403) {
            throw rejected(call, "the token endpoint refused the service-account key (" + response.statusCode() + ")");
        }
        if (response.statusCode() != 200) {
            throw UpstreamResponses.statusFailure(call, response.statusCode(), response.headers(), body);
        }
        try {
            JsonNode answer = JSON.readTree(body);
            Token token = new Token(answer.path("access_token").asString(),
                    now.plusSeconds(answer.path("expires_in").asLong(3600)));
            if (token.value().isEmpty()) {
                throw UpstreamException.protocol("token endpoint answered without an access_token");
            }
            cache.put(cacheKey, token);
            return token.value();
        } catch (JacksonException e) {
            throw UpstreamException.protocol("token endpoint answered with a body that is not JSON");
        }
    }

    private static String jwt(String email, URI audience, String pem, Instant now, UpstreamCall call)
            throws UpstreamException {
        String header = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var claims = JSON.createObjectNode().put("iss", email).put("scope", SCOPE).put("aud", audience.toString())
                .put("iat", now.getEpochSecond()).put("exp", now.getEpochSecond() + 3600);
        String payload = URL.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey(pem));
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw rejected(call, "the service-account private key cannot sign");
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }

    private static UpstreamException rejected(UpstreamCall call, String why) {
        return new UpstreamException(UpstreamException.Failure.STATUS, 401, call.endpoint().name() + ": " + why, null,
                why);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
