package dev.warden.sso.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, {@code kc.sh start-dev}) on 127.0.0.1 for the opt-in real-IdP
 * test, with a realm made by {@link #createRealm}. The distribution zip comes from the local Maven repository (the
 * {@code keycloak} profile of this module's pom copies it to {@code target/keycloak}).
 */
final class KeycloakServer {

    static final String VERSION = "26.7.3";
    static final String REALM = "warden";

    final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static KeycloakServer start() throws Exception {
        Path home = unpack();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + (port + 1 > 65535 ? port - 1 : port + 1),
                "--cache=local")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("keycloak.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-password");
        KeycloakServer server = new KeycloakServer(port, builder.start());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        server.awaitReady(Duration.ofMinutes(4), home.resolve("keycloak.log"));
        return server;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Stops kc.sh and the Keycloak JVM it started (only this test's own processes). */
    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Creates the realm from a JSON representation through the admin REST API. */
    void createRealm(String realmJson) throws Exception {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(url("/realms/master/protocol/openid-connect/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
                        + URLEncoder.encode("admin-password", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        Matcher accessToken = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
        if (!accessToken.find()) {
            throw new IllegalStateException("no admin token from Keycloak: HTTP " + token.statusCode());
        }
        // The unpacked server keeps its database between runs: start from a fresh realm.
        http.send(HttpRequest.newBuilder(URI.create(url("/admin/realms/" + REALM)))
                .header("Authorization", "Bearer " + accessToken.group(1)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url("/admin/realms")))
                .header("Authorization", "Bearer " + accessToken.group(1)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(realmJson)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("realm import failed: HTTP " + created.statusCode() + " " + created.body());
        }
    }

    private void awaitReady(Duration timeout, Path log) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url("/realms/master"))).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(1000);
        }
        stop();
        throw new IllegalStateException("Keycloak did not answer within " + timeout + "; see " + log);
    }

    private static Path unpack() throws IOException {
        Path target = Paths.get("target").toAbsolutePath();
        Path home = target.resolve("keycloak-" + VERSION);
        if (Files.exists(home.resolve("bin/kc.sh"))) {
            return home;
        }
        Path zip = target.resolve("keycloak/keycloak-quarkus-dist-" + VERSION + ".zip");
        if (!Files.exists(zip)) {
            zip = Paths.get(System.getProperty("user.home"), ".m2/repository/org/keycloak/keycloak-quarkus-dist", VERSION,
                    "keycloak-quarkus-dist-" + VERSION + ".zip");
        }
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Keycloak distribution not found at " + zip
                    + " (run with -Dwarden.keycloak=true so the pom's keycloak profile fetches it)");
        }
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return home;
    }
}
