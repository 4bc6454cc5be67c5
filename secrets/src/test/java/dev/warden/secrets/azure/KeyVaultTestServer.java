package dev.warden.secrets.azure;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.secrets.LocalHttpServer;
import dev.warden.secrets.SelfSignedTls;
import dev.warden.secrets.TestHostsResolverProvider;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speaks Azure Key Vault's REST API over HTTPS ({@code GET /secrets/{name}[/{version}]?api-version=...},
 * {@code GET /secrets?maxresults=N}) with its authentication: a request without a bearer token gets
 * {@code 401} and {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 * resource="https://vault.azure.test"}; a request with the expected token is served. Errors use Key Vault's
 * {@code {"error":{"code":...,"message":...}}} body.
 */
final class KeyVaultTestServer implements AutoCloseable {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String RESOURCE = "https://" + TestHostsResolverProvider.AZURE_TEST_DOMAIN;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Version(String id, String value) {
    }

    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger challenges = new AtomicInteger();
    private final String token;
    private final String vaultName;
    private final LocalHttpServer https;

    KeyVaultTestServer(SelfSignedTls tls, String vaultName, String token) {
        this.vaultName = vaultName;
        this.token = token;
        this.https = new LocalHttpServer(this::handle, tls.server());
    }

    String vaultUrlTemplate() {
        return "https://{vault}." + TestHostsResolverProvider.AZURE_TEST_DOMAIN + ":" + https.port();
    }

    LocalHttpServer https() {
        return https;
    }

    int reads() {
        return reads.get();
    }

    int challenges() {
        return challenges.get();
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Adds a new current version; returns its id. */
    String put(String name, String value) {
        String version = UUID.randomUUID().toString().replace("-", "");
        secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(new Version(version, value));
        return version;
    }

    void deny(String name) {
        denied.add(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
        if (!host.startsWith(vaultName + ".")) {
            error(exchange, 404, "VaultNotFound", "no vault at " + host);
            return;
        }
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        if (!query.contains("api-version=")) {
            error(exchange, 400, "MissingApiVersionParameter", "The api-version query parameter is required.");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(authorization));
        if (authorization == null || !authorization.equals("Bearer " + token)) {
            challenges.incrementAndGet();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                    + TENANT + "\", resource=\"" + RESOURCE + "\"");
            error(exchange, 401, "Unauthorized", authorization == null
                    ? "AKV10000: Request is missing a Bearer or PoP token." : "AKV10032: Invalid issuer.");
            return;
        }
        String[] path = exchange.getRequestURI().getPath().split("/");
        // "", "secrets", name[, version]
        if (path.length == 2 && path[1].equals("secrets")) {
            json(exchange, 200, Map.of("value", List.of(), "nextLink", ""));
            return;
        }
        if (path.length < 3 || path.length > 4 || !path[1].equals("secrets")) {
            error(exchange, 400, "BadParameter", "unsupported path");
            return;
        }
        reads.incrementAndGet();
        String name = path[2];
        if (denied.contains(name)) {
            error(exchange, 403, "Forbidden", "Caller is not authorized to perform action on resource.\r\n"
                    + "If role assignments, deny assignments or role definitions were changed recently, please "
                    + "observe propagation time.\r\nCaller: appid=00000000;oid=11111111\r\nAction: "
                    + "'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
            return;
        }
        List<Version> versions = secrets.get(name);
        Version version = null;
        if (versions != null && !versions.isEmpty()) {
            version = path.length == 4
                    ? versions.stream().filter(v -> v.id.equals(path[3])).findFirst().orElse(null)
                    : versions.getLast();
        }
        if (version == null) {
            error(exchange, 404, "SecretNotFound", "A secret with (name/id) " + name + " was not found in this key "
                    + "vault. If you recently deleted this secret you may be able to recover it using the correct "
                    + "recovery command.");
            return;
        }
        long now = Instant.now().getEpochSecond();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", version.value);
        body.put("id", "https://" + host + "/secrets/" + name + "/" + version.id);
        body.put("attributes", Map.of("enabled", true, "created", now, "updated", now,
                "recoveryLevel", "Recoverable+Purgeable", "recoverableDays", 90));
        body.put("tags", Map.of());
        json(exchange, 200, body);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        json(exchange, status, Map.of("error", Map.of("code", code, "message", message)));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        LocalHttpServer.respond(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    }

    @Override
    public void close() {
        https.close();
    }
}
