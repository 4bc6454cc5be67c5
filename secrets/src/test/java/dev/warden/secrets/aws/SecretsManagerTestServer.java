package dev.warden.secrets.aws;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.secrets.LocalHttpServer;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks AWS Secrets Manager's JSON 1.1 protocol: {@code POST /} with {@code X-Amz-Target:
 * secretsmanager.GetSecretValue} (or {@code ListSecrets}), {@code Content-Type: application/x-amz-json-1.1}, errors
 * as {@code {"__type": ..., "Message": ...}} with status 400. Every request must carry a SigV4 {@code Authorization}
 * header, which is verified in full: the canonical request is rebuilt from what arrived, signed with the secret key
 * this server shares with the test, and compared, as AWS does.
 */
public final class SecretsManagerTestServer implements AutoCloseable {

    static final String ACCOUNT = "123456789012";
    public static final String REGION = "eu-central-1";
    public static final String ACCESS_KEY_ID = "AKIAWARDENTEST000001";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private record Stored(String arn, String name, String versionId, String secretString) {
    }

    private final Map<String, Stored> secrets = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final String secretAccessKey;
    private final LocalHttpServer http;

    public SecretsManagerTestServer(String secretAccessKey) {
        this.secretAccessKey = secretAccessKey;
        this.http = new LocalHttpServer(this::handle, null);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + http.port();
    }

    public LocalHttpServer http() {
        return http;
    }

    int reads() {
        return reads.get();
    }

    /** The Authorization headers received, for assertions on their shape. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public String put(String name, String secretString) {
        String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-AbCdEf";
        secrets.put(name, new Stored(arn, name, UUID.randomUUID().toString(), secretString));
        return arn;
    }

    void deny(String name) {
        denied.add(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(authorization));
        String signatureProblem = verifySignature(exchange, body, authorization);
        if (signatureProblem != null) {
            error(exchange, signatureProblem.startsWith("unknown") ? "UnrecognizedClientException"
                    : "InvalidSignatureException", signatureProblem);
            return;
        }
        if (!"application/x-amz-json-1.1".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            error(exchange, "SerializationException", "expected Content-Type application/x-amz-json-1.1");
            return;
        }
        Map<?, ?> request = JSON.readValue(body, Map.class);
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        switch (target) {
            case "secretsmanager.GetSecretValue" -> getSecretValue(exchange, request);
            case "secretsmanager.ListSecrets" -> json(exchange, 200, Map.of("SecretList", List.of()));
            default -> error(exchange, "UnknownOperationException", "unknown operation " + target);
        }
    }

    private void getSecretValue(HttpExchange exchange, Map<?, ?> request) throws IOException {
        reads.incrementAndGet();
        String id = String.valueOf(request.get("SecretId"));
        Stored stored = secrets.values().stream()
                .filter(s -> s.name.equals(id) || s.arn.equals(id))
                .findFirst().orElse(null);
        if (stored == null) {
            error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return;
        }
        if (denied.contains(stored.name)) {
            error(exchange, "AccessDeniedException", "User: arn:aws:iam::" + ACCOUNT + ":role/warden-gateway is not "
                    + "authorized to perform: secretsmanager:GetSecretValue on resource: " + id
                    + " because no identity-based policy allows the secretsmanager:GetSecretValue action");
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ARN", stored.arn);
        response.put("CreatedDate", 1.767225600123E9);
        response.put("Name", stored.name);
        response.put("SecretString", stored.secretString);
        response.put("VersionId", stored.versionId);
        response.put("VersionStages", List.of("AWSCURRENT"));
        json(exchange, 200, response);
    }

    /** Null when the SigV4 signature is valid; otherwise what AWS would say. */
    private String verifySignature(HttpExchange exchange, byte[] body, String authorization) {
        if (authorization == null) {
            return "missing Authorization header";
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return "Authorization header is not AWS4-HMAC-SHA256 Credential=.../aws4_request, SignedHeaders=..., "
                    + "Signature=<64 hex>";
        }
        String accessKey = m.group(1);
        String date = m.group(2);
        String region = m.group(3);
        String service = m.group(4);
        List<String> signedHeaders = List.of(m.group(5).split(";"));
        if (!ACCESS_KEY_ID.equals(accessKey)) {
            return "unknown access key: The security token included in the request is invalid.";
        }
        if (!REGION.equals(region) || !"secretsmanager".equals(service)) {
            return "credential scope " + region + "/" + service + " (expected " + REGION + "/secretsmanager)";
        }
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(date)) {
            return "X-Amz-Date " + amzDate + " does not match the credential scope date " + date;
        }
        if (!signedHeaders.containsAll(List.of("host", "x-amz-date", "x-amz-target"))) {
            return "SignedHeaders " + signedHeaders + " lacks host, x-amz-date or x-amz-target";
        }
        try {
            StringBuilder canonical = new StringBuilder();
            canonical.append(exchange.getRequestMethod()).append('\n')
                    .append(exchange.getRequestURI().getRawPath()).append('\n')
                    .append(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery())
                    .append('\n');
            for (String header : signedHeaders) {
                List<String> values = exchange.getRequestHeaders().get(header);
                if (values == null) {
                    return "signed header " + header + " is missing";
                }
                List<String> trimmed = new ArrayList<>();
                for (String v : values) {
                    trimmed.add(v.trim().replaceAll(" +", " "));
                }
                canonical.append(header.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", trimmed))
                        .append('\n');
            }
            String payloadHash = exchange.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
            if (payloadHash == null) {
                payloadHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
            }
            canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payloadHash);
            String scope = date + "/" + region + "/" + service + "/aws4_request";
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                    + hex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, service);
            key = hmac(key, "aws4_request");
            String expected = hex(hmac(key, stringToSign));
            return expected.equals(m.group(6)) ? null
                    : "The request signature we calculated does not match the signature you provided.";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        json(exchange, 400, Map.of("__type", type, "Message", message));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        LocalHttpServer.respond(exchange, status, "application/x-amz-json-1.1", JSON.writeValueAsString(body));
    }

    @Override
    public void close() {
        http.close();
    }
}
