package dev.warden.secrets;

import dev.warden.secrets.vault.VaultAuthentication;
import dev.warden.secrets.vault.VaultOptions;
import dev.warden.secrets.vault.VaultSecretSource;
import dev.warden.secrets.vault.VaultTestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many request threads resolve a provider key through Vault (real clock, short TTL) while the key is rotated every
 * 100 ms: no request fails, no thread ever goes back to an older key once it saw a newer one, the backend sees a
 * small fraction of the requests, and the last rotation is in use within one TTL after it.
 */
class RotationUnderLoadTest {

    private static final String REF = "vault://secret/providers/openai#api_key";

    @Test
    void noRequestFailsWhileTheKeyRotates() throws Exception {
        String secretId = "rotation-secret-id";
        try (VaultTestServer vault = new VaultTestServer(secretId)) {
            vault.putKv2("secret", "providers/openai", Map.of("api_key", key(0)));
            Duration ttl = Duration.ofMillis(400);
            try (SecretResolver resolver = SecretResolver.builder()
                    .source(new VaultSecretSource(VaultOptions.of(URI.create(vault.address()),
                            new VaultAuthentication.AppRole(VaultTestServer.ROLE_ID, SecretValue.of(secretId)))))
                    .ttl(ttl).refreshAhead(Duration.ofMillis(200)).maxStale(Duration.ofSeconds(5))
                    .fetchTimeout(Duration.ofSeconds(5))
                    .build()) {
                resolver.resolve(REF).close(); // log in once before the load starts

                int threads = 16;
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger requests = new AtomicInteger();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                CountDownLatch started = new CountDownLatch(threads);
                List<Future<Integer>> workers = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                    for (int t = 0; t < threads; t++) {
                        workers.add(pool.submit(() -> {
                            started.countDown();
                            int newestSeen = 0;
                            while (running.get()) {
                                try (SecretValue key = resolver.resolve(REF)) {
                                    int version = version(key.reveal());
                                    if (version < newestSeen) {
                                        failures.add(new AssertionError("went back from key " + newestSeen
                                                + " to " + version));
                                    }
                                    newestSeen = Math.max(newestSeen, version);
                                    requests.incrementAndGet();
                                } catch (RuntimeException e) {
                                    failures.add(e);
                                }
                            }
                            return newestSeen;
                        }));
                    }
                    started.await();
                    int last = 0;
                    for (int i = 1; i <= 20; i++) {
                        Thread.sleep(100);
                        vault.putKv2("secret", "providers/openai", Map.of("api_key", key(i)));
                        last = i;
                    }
                    // Keep the load on until the last rotation must have been picked up: one TTL after it.
                    Thread.sleep(ttl.toMillis() + 300);
                    running.set(false);
                    for (Future<Integer> w : workers) {
                        assertThat(w.get(10, TimeUnit.SECONDS)).as("newest key a worker saw").isEqualTo(last);
                    }
                }
                assertThat(failures).isEmpty();
                assertThat(requests.get()).isGreaterThan(1_000);
                assertThat(vault.reads()).as("backend reads").isLessThan(requests.get() / 20);
                try (SecretValue key = resolver.resolve(REF)) {
                    assertThat(version(key.reveal())).isEqualTo(20);
                }
            }
        }
    }

    private static String key(int version) {
        return "sk-rotating-" + version;
    }

    private static int version(String key) {
        return Integer.parseInt(key.substring("sk-rotating-".length()));
    }
}
