package dev.warden.secrets.vault;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.secrets.LocalHttpServer;
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
 * Speaks the parts of Vault's HTTP API the source uses, as documented at developer.hashicorp.com/vault/api-docs:
 * KV v2 ({@code GET /v1/<mount>/data/<path>} answering {@code data.data} and {@code data.metadata}), KV v1
 * ({@code GET /v1/<mount>/<path>} answering {@code data}), AppRole and Kubernetes login, token self-lookup,
 * renewal and revocation, and {@code /v1/sys/health}. Errors use Vault's {@code {"errors":[...]}} body.
 */
public final class VaultTestServer implements AutoCloseable {

    public static final String ROLE_ID = "warden-gateway-role";
    static final String K8S_ROLE = "warden-gateway";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Full API path after /v1/ (e.g. {@code secret/data/app}) to the stored key/values. */
    private final Map<String, Map<String, Object>> kv2 = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> kv1 = new ConcurrentHashMap<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String secretId;
    private volatile boolean sealed;
    private volatile String kubernetesJwt = "";
    private final LocalHttpServer http;

    public VaultTestServer(String secretId) {
        this.secretId = secretId;
        this.http = new LocalHttpServer(this::handle, null);
    }

    public String address() {
        return "http://127.0.0.1:" + http.port();
    }

    public LocalHttpServer http() {
        return http;
    }

    void acceptToken(String token) {
        tokens.add(token);
    }

    /** A sealed Vault answers 503 to everything, sys/health included (with sealed=true in the body). */
    void seal(boolean sealed) {
        this.sealed = sealed;
    }

    void revokeToken(String token) {
        tokens.remove(token);
    }

    void acceptKubernetesJwt(String jwt) {
        kubernetesJwt = jwt;
    }

    public void putKv2(String mount, String path, Map<String, Object> data) {
        kv2.put(mount + "/data/" + path, Map.copyOf(data));
        versions.merge(mount + "/data/" + path, 1, Integer::sum);
    }

    void putKv1(String mount, String path, Map<String, Object> data) {
        kv1.put(mount + "/" + path, Map.copyOf(data));
    }

    public void deny(String apiPath) {
        denied.add(apiPath);
    }

    public int reads() {
        return reads.get();
    }

    int logins() {
        return logins.get();
    }

    /** The X-Vault-Namespace header of every request so far ("-" when absent). */
    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String ns = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
        namespaces.add(ns == null ? "-" : ns);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!path.startsWith("/v1/")) {
            error(exchange, 404, "unsupported path");
            return;
        }
        String api = path.substring(4);
        if (sealed && !api.equals("sys/health")) {
            error(exchange, 503, "Vault is sealed");
            return;
        }
        switch (method + " " + api) {
            case "GET sys/health" -> json(exchange, sealed ? 503 : 200, Map.of("initialized", true, "sealed", sealed,
                    "standby", false, "performance_standby", false, "replication_performance_mode", "disabled",
                    "replication_dr_mode", "disabled", "server_time_utc", Instant.now().getEpochSecond(),
                    "version", "1.17.2", "cluster_name", "vault-cluster-test", "cluster_id", "c0ffee"));
            case "POST auth/approle/login" -> {
                Map<?, ?> body = JSON.readValue(LocalHttpServer.body(exchange), Map.class);
                if (ROLE_ID.equals(body.get("role_id")) && secretId.equals(body.get("secret_id"))) {
                    login(exchange);
                } else {
                    error(exchange, 400, "invalid role or secret ID");
                }
            }
            case "POST auth/kubernetes/login" -> {
                Map<?, ?> body = JSON.readValue(LocalHttpServer.body(exchange), Map.class);
                if (K8S_ROLE.equals(body.get("role")) && !kubernetesJwt.isEmpty()
                        && kubernetesJwt.equals(body.get("jwt"))) {
                    login(exchange);
                } else {
                    error(exchange, 403, "permission denied");
                }
            }
            case "GET auth/token/lookup-self" -> {
                if (authorised(exchange)) {
                    json(exchange, 200, envelope(Map.of("ttl", 3600, "renewable", true, "policies",
                            List.of("default", "warden-gateway"))));
                }
            }
            case "POST auth/token/renew-self" -> {
                if (authorised(exchange)) {
                    json(exchange, 200, authResponse(exchange.getRequestHeaders().getFirst("X-Vault-Token")));
                }
            }
            case "POST auth/token/revoke-self" -> {
                tokens.remove(exchange.getRequestHeaders().getFirst("X-Vault-Token"));
                exchange.sendResponseHeaders(204, -1);
            }
            default -> {
                if (method.equals("GET")) {
                    read(exchange, api);
                } else {
                    error(exchange, 405, "unsupported operation");
                }
            }
        }
    }

    private void read(HttpExchange exchange, String api) throws IOException {
        if (!authorised(exchange)) {
            return;
        }
        reads.incrementAndGet();
        if (denied.contains(api)) {
            error(exchange, 403, "1 error occurred:\n\t* permission denied\n\n");
            return;
        }
        Map<String, Object> v2 = kv2.get(api);
        if (v2 != null) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("created_time", Instant.now().toString());
            metadata.put("custom_metadata", null);
            metadata.put("deletion_time", "");
            metadata.put("destroyed", false);
            metadata.put("version", versions.get(api));
            json(exchange, 200, envelope(Map.of("data", v2, "metadata", metadata)));
            return;
        }
        Map<String, Object> v1 = kv1.get(api);
        if (v1 != null) {
            Map<String, Object> response = envelope(v1);
            response.put("lease_duration", 2764800);
            json(exchange, 200, response);
            return;
        }
        // Vault answers a missing KV path with 404 and an empty error list.
        json(exchange, 404, Map.of("errors", List.of()));
    }

    private boolean authorised(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        if (token == null || !tokens.contains(token)) {
            error(exchange, 403, "permission denied");
            return false;
        }
        return true;
    }

    private void login(HttpExchange exchange) throws IOException {
        logins.incrementAndGet();
        String token = "hvs." + UUID.randomUUID().toString().replace("-", "");
        tokens.add(token);
        json(exchange, 200, authResponse(token));
    }

    private static Map<String, Object> authResponse(String token) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", token);
        auth.put("accessor", UUID.randomUUID().toString());
        auth.put("policies", List.of("default", "warden-gateway"));
        auth.put("token_policies", List.of("default", "warden-gateway"));
        auth.put("metadata", Map.of("role_name", "warden-gateway"));
        auth.put("lease_duration", 3600);
        auth.put("renewable", true);
        auth.put("entity_id", UUID.randomUUID().toString());
        auth.put("token_type", "service");
        auth.put("orphan", true);
        Map<String, Object> response = envelope(null);
        response.put("auth", auth);
        return response;
    }

    private static Map<String, Object> envelope(Object data) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("request_id", UUID.randomUUID().toString());
        response.put("lease_id", "");
        response.put("renewable", false);
        response.put("lease_duration", 0);
        response.put("data", data);
        response.put("wrap_info", null);
        response.put("warnings", null);
        response.put("auth", null);
        return response;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("errors", List.of(message)));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        LocalHttpServer.respond(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    @Override
    public void close() {
        http.close();
    }
}
