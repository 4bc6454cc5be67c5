package dev.warden.bench.run;

import dev.warden.bench.Engine;
import dev.warden.bench.relay.Relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts the pieces of a run on loopback: the fake upstream in its own JVM (so its CPU and memory are not the load
 * generator's), Warden through {@code bin/warden} with a generated config that points at that upstream, and the
 * Portkey gateway from {@code node_modules}. Each gateway is started just before its turn and stopped right after, so
 * two gateways never compete for the two cores.
 */
public final class Lab implements AutoCloseable {

    /** Where things are and how the upstream behaves; {@code engine} is the upstream's (and the load generator's). */
    public record Settings(Path workDir, Path wardenBin, Path portkeyDir, String wardenJavaOpts,
                           Path wardenConfigTemplate, int latencyMs, int chunks, int chunkDelayMs, Engine engine,
                           String upstreamJavaOpts) {
    }

    /**
     * The upstream's JVM options unless the run says otherwise. No collection pause inside a measured phase: a young
     * generation that takes minutes to fill at 5,000 req/s, touched up front, collected by one thread. The previous
     * {@code -Xms64m -Xmx256m -XX:+UseParallelGC} collected every ~5 s, usually in 1-4 ms, but its two GC threads
     * compete with everything else for the two cores and some pauses took 25-143 ms, charged to whichever target was
     * being measured.
     */
    static final String UPSTREAM_JAVA_OPTS = "-Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch";

    /**
     * What {@code bin/warden serve} passes when WARDEN_JAVA_OPTS is not set (with MALLOC_ARENA_MAX=2 in the
     * environment); keep the two in step. The harness runs Warden on its own JVM, Java 22 or newer in practice.
     */
    static final String BIN_WARDEN_JAVA_OPTS = "-Xms256m -Xmx384m -XX:MaxMetaspaceSize=160m -XX:+UseG1GC"
            + " -XX:+ExitOnOutOfMemoryError -XX:+AlwaysPreTouch"
            + (Runtime.version().feature() >= 22 ? " -XX:TrimNativeHeapInterval=30000" : "");
    private static final Pattern DEMO_KEY = Pattern.compile("demo virtual key: (\\S+)");

    private final Settings settings;
    private final List<ManagedProcess> started = new ArrayList<>();
    private ManagedProcess upstream;
    private int upstreamPort;

    public Lab(Settings settings) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.workDir());
    }

    public Target startUpstream() throws IOException, InterruptedException {
        upstreamPort = ManagedProcess.freePort();
        // GC and safepoint pauses logged with wall-clock times, to match against the per-second timeline.
        List<String> command = harnessJvm(
                "-Xlog:gc,safepoint:file=" + settings.workDir().resolve("upstream-gc.log") + ":utctime,uptime");
        command.addAll(List.of("upstream", "--port", Integer.toString(upstreamPort),
                "--latency-ms", Integer.toString(settings.latencyMs()), "--chunks", Integer.toString(settings.chunks()),
                "--chunk-delay-ms", Integer.toString(settings.chunkDelayMs()), "--engine", settings.engine().flag()));
        upstream = track(ManagedProcess.start("upstream", command, Map.of(),
                settings.workDir().resolve("upstream.log")));
        upstream.awaitHttp(upstreamPort, "/v1/models", Duration.ofSeconds(30));
        return new Target("direct", loopback(upstreamPort), "/v1/chat/completions",
                Map.of("Authorization", "Bearer sk-bench-upstream"), upstream.pid());
    }

    /** The fake upstream's port: it also answers {@code GET /stats} (its event-loop lag) for {@link StallMeters}. */
    public int upstreamPort() {
        return upstreamPort;
    }

    public String upstreamBaseUrl() {
        return "http://127.0.0.1:" + upstreamPort + "/v1";
    }

    /** Warden with the full pipeline as built, on a fresh data dir, authenticated with its seeded demo key. */
    public Running startWarden() throws IOException, InterruptedException {
        return startWarden(false);
    }

    /**
     * Warden as {@link #startWarden()}; with {@code apiListener}, measured on its API listener
     * ({@code warden.listener.port}, set through the environment so a config template needs no change) instead of
     * the main port. The target is then named {@code warden-api}.
     */
    public Running startWarden(boolean apiListener) throws IOException, InterruptedException {
        return startWarden(apiListener, false);
    }

    /**
     * Warden as {@link #startWarden(boolean)}; with {@code relaxed}, its ledger acknowledges entries before their
     * fsync ({@code warden.ledger.durability=relaxed}), and the target is named {@code warden-relaxed}.
     */
    public Running startWarden(boolean apiListener, boolean relaxed) throws IOException, InterruptedException {
        int port = ManagedProcess.freePort();
        int apiPort = apiListener ? ManagedProcess.freePort() : -1;
        Path dataDir = Files.createTempDirectory(settings.workDir(), "warden-data-");
        Path config = settings.workDir().resolve("warden.yaml");
        Files.writeString(config, wardenConfig(), StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("UPSTREAM_KEY", "sk-bench-upstream");
        if (apiListener) {
            env.put("WARDEN_LISTENER_PORT", Integer.toString(apiPort));
        }
        if (relaxed) {
            env.put("WARDEN_LEDGER_DURABILITY", "relaxed");
        }
        List<String> serve = List.of("serve", "--config", config.toString(), "--demo", "--port", Integer.toString(port),
                "--data-dir", dataDir.toString());
        List<String> command = new ArrayList<>();
        Path jar = settings.wardenBin().getParent().getParent().resolve("gateway/target/warden.jar");
        if (Files.isRegularFile(jar)) {
            // Run a private copy of the jar, exactly as bin/warden would (`java $WARDEN_JAVA_OPTS -jar warden.jar`):
            // other engineers rebuild gateway/target/warden.jar while a run is in progress, and a jar replaced
            // under a running JVM fails with NoClassDefFoundError.
            Path copy = settings.workDir().resolve("warden.jar");
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // bin/warden's own defaults unless the run says otherwise: the heap cap is part of what is measured (RSS).
            String javaOpts = settings.wardenJavaOpts().isBlank() ? BIN_WARDEN_JAVA_OPTS : settings.wardenJavaOpts();
            if (settings.wardenJavaOpts().isBlank() && System.getenv("MALLOC_ARENA_MAX") == null) {
                env.put("MALLOC_ARENA_MAX", "2");
            }
            command.addAll(List.of(javaOpts.trim().split("\\s+")));
            command.addAll(List.of("-jar", copy.toString()));
            // Passed on the command line above; left in the environment, Spring would bind it as the unknown
            // option warden.java-opts and the gateway would refuse to start.
            env.put("WARDEN_JAVA_OPTS", null);
        } else {
            command.add(settings.wardenBin().toString()); // builds the jar on first use
            if (!settings.wardenJavaOpts().isBlank()) {
                // Note: the gateway currently refuses to start with WARDEN_JAVA_OPTS in its environment (Spring binds
                // it as the unknown option warden.java-opts), so this path works only without JVM options.
                env.put("WARDEN_JAVA_OPTS", settings.wardenJavaOpts());
            }
        }
        command.addAll(serve);
        ManagedProcess warden = track(ManagedProcess.start("warden", command, env,
                settings.workDir().resolve("warden.log")));
        String key = warden.awaitLine(DEMO_KEY, Duration.ofMinutes(5));
        warden.awaitHttp(port, "/actuator/health", Duration.ofSeconds(60));
        // The API listener starts before the main port (an earlier lifecycle phase): up once health answers.
        return new Running(warden, new Target(relaxed ? "warden-relaxed" : apiListener ? "warden-api" : "warden",
                loopback(apiListener ? apiPort : port), "/v1/chat/completions",
                Map.of("Authorization", "Bearer " + key), warden.pid(), loopback(port)));
    }

    /**
     * Portkey's open-source gateway, routed to the same upstream per request: provider {@code openai} with a custom
     * host (loopback is on its default trusted-host list), the upstream key passed through as the bearer token.
     */
    public Running startPortkey() throws IOException, InterruptedException {
        Path server = settings.portkeyDir().resolve("build/start-server.js");
        if (!Files.isRegularFile(server)) {
            throw new IOException("Portkey gateway not installed: " + server + " is missing (run `npm ci` in bench/)");
        }
        int port = ManagedProcess.freePort();
        ManagedProcess portkey = track(ManagedProcess.start("portkey",
                List.of("node", server.toString(), "--port=" + port, "--headless"),
                Map.of("NODE_ENV", "production"), settings.workDir().resolve("portkey.log")));
        portkey.awaitHttp(port, "/", Duration.ofSeconds(60));
        return new Running(portkey, new Target("portkey", loopback(port), "/v1/chat/completions",
                Map.of("Authorization", "Bearer sk-bench-upstream",
                        "x-portkey-provider", "openai",
                        "x-portkey-custom-host", upstreamBaseUrl()), portkey.pid()));
    }

    /**
     * The floor: {@link dev.warden.bench.relay.Relay}, a do-nothing HTTP/1.1 relay in its own JVM (the upstream's JVM
     * options: it allocates little and must not pause in a phase), forwarding to the same upstream.
     */
    public Running startRelay(Relay.Threads threads) throws IOException, InterruptedException {
        int port = ManagedProcess.freePort();
        List<String> command = harnessJvm();
        command.addAll(List.of("relay", "--port", Integer.toString(port), "--upstream-port",
                Integer.toString(upstreamPort), "--threads", threads.flag()));
        ManagedProcess relay = track(ManagedProcess.start("relay", command, Map.of(),
                settings.workDir().resolve("relay.log")));
        relay.awaitHttp(port, "/v1/models", Duration.ofSeconds(30));
        return new Running(relay, new Target("relay", loopback(port), "/v1/chat/completions",
                Map.of("Authorization", "Bearer sk-bench-upstream"), relay.pid()));
    }

    /**
     * The start of a command that runs one of this jar's commands in a JVM of its own, with the upstream's JVM options
     * (or the run's {@code --upstream-java-opts}) and {@code extraOptions}: the caller adds the command and its flags.
     */
    private List<String> harnessJvm(String... extraOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String javaOpts = settings.upstreamJavaOpts().isBlank() ? UPSTREAM_JAVA_OPTS : settings.upstreamJavaOpts();
        command.addAll(List.of(javaOpts.trim().split("\\s+")));
        command.addAll(List.of(extraOptions));
        command.addAll(List.of("-cp", Path.of(BenchJar.location()).toString(), "dev.warden.bench.BenchMain"));
        return command;
    }

    /** A started gateway and how to reach it. */
    public record Running(ManagedProcess process, Target target) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    private String wardenConfig() throws IOException {
        if (settings.wardenConfigTemplate() != null) {
            return Files.readString(settings.wardenConfigTemplate(), StandardCharsets.UTF_8)
                    .replace("${UPSTREAM_BASE_URL}", upstreamBaseUrl());
        }
        return """
                # Generated by bench/: one OpenAI-compatible provider, the harness's local upstream.
                warden:
                  providers:
                    - name: local
                      type: openai-compatible
                      base-url: %s
                      keys: [{id: k1, secret: env://UPSTREAM_KEY, weight: 1}]
                  models:
                    - name: bench-model
                      targets: [{provider: local, model: bench-model}]
                """.formatted(upstreamBaseUrl());
    }

    private ManagedProcess track(ManagedProcess p) {
        started.add(p);
        return p;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
