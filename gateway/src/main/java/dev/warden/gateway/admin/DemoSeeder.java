package dev.warden.gateway.admin;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Demo mode's seeded virtual key and the start-up lines a new user needs. The demo key is kept in
 * {@code <data-dir>/demo/virtual-key} (mode 600) so it stays the same across restarts; the store holds only its hash.
 */
@Component
public class DemoSeeder {
    private final WardenProperties properties;
    private final KeyRepository keys;
    private final AdminToken adminToken;
    private final Clock clock;

    public DemoSeeder(WardenProperties properties, KeyRepository keys, AdminToken adminToken, Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.adminToken = adminToken;
        this.clock = clock;
    }

    @EventListener
    public void onReady(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : -1;
        StringBuilder lines = new StringBuilder();
        lines.append("Warden gateway listening on port ").append(port).append('\n');
        if (properties.demo()) {
            lines.append("demo virtual key: ").append(demoKey()).append('\n');
        }
        String token = adminToken.demoToken();
        if (token != null) {
            lines.append("admin token: ").append(token).append('\n');
        }
        // Printed on stdout on purpose: these lines are the demo's user interface, not log records.
        System.out.print(lines);
        System.out.flush();
    }

    synchronized String demoKey() {
        Path file = properties.dataDir().resolve("demo").resolve("virtual-key");
        try {
            if (Files.isRegularFile(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
                Optional<VirtualKey> stored = keys.findByHash(KeyMaterial.hash(existing));
                if (stored.isPresent() && stored.get().activeAt(clock.instant())) {
                    return existing;
                }
            }
            String key = KeyMaterial.newKey();
            keys.insert(KeyMaterial.newId("key_"), "demo", KeyMaterial.hash(key), KeyMaterial.hint(key), "demo",
                    null, List.of(), List.of(), Map.of("seeded", "demo"), null, clock.instant());
            Files.createDirectories(file.getParent());
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            AdminToken.restrict(file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo key under " + file.getParent(), e);
        }
    }
}
