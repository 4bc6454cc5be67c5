package dev.warden.bench.run;

import dev.warden.bench.Engine;
import dev.warden.bench.load.LoadGenerator;
import dev.warden.bench.load.LoadResult;
import dev.warden.bench.load.LoadSpec;
import dev.warden.bench.relay.Relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The side-by-side run: for each target in turn (direct, warden, portkey), a warm-up, then plain chat completions at
 * the fixed rate, then streamed ones, each phase after a lead-in on its own connections; memory is read right after.
 * Prints one table per mode with the latency each gateway adds over the direct path measured in the same run.
 */
public final class CompareCommand {
    /** What {@code compare} runs unless {@code --targets} says otherwise. */
    static final String DEFAULT_TARGETS = "direct,relay,warden,warden-api,warden-relaxed,portkey";

    static final Set<String> OPTIONS = Set.of("rate", "duration", "warmup", "stream-rate", "stream-duration",
            "targets", "connections", "timeout-ms", "latency-ms", "chunks", "chunk-delay-ms", "warden-bin",
            "portkey-dir", "warden-java-opts", "warden-config", "work-dir", "out", "label", "engine", "threads",
            "timeline", "upstream-java-opts", "relay-threads", "lead-in");

    /** One measured phase. */
    /** @param ledger Warden's ledger fsyncs in the phase ({@link LedgerSyncs#since}); empty for other targets */
    record Row(String target, String mode, int rate, LoadResult result, StallMeters.Sample stalls, Rss rss,
               String cpuMicros, String load, SecondMedians seconds, String ledger) {
    }

    /** What every measured phase shares: the stall meters and, when asked for, the per-second timeline. */
    record Probes(StallMeters meters, Timeline timeline) {
    }

    public static int run(String[] args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of());
        int rate = o.integer("rate", 1000, 1, 200_000);
        Duration duration = o.seconds("duration", 20, 1, 600);
        Duration warmup = o.seconds("warmup", 5, 0, 300);
        Duration leadIn = o.seconds("lead-in", 5, 0, 300);
        int streamRate = o.integer("stream-rate", rate, 0, 200_000);
        Duration streamDuration = o.seconds("stream-duration", 10, 1, 600);
        int connections = o.integer("connections", 128, 1, 10_000);
        Duration timeout = o.millis("timeout-ms", 10_000);
        List<String> targets = List.of(o.string("targets", DEFAULT_TARGETS).split(","));
        Relay.Threads relayThreads = Relay.Threads.parse("--relay-threads", o.string("relay-threads", "platform"));
        Lab.Settings settings = settings(o);
        Engine engine = settings.engine();
        int threads = o.integer("threads", 1, 1, 64);

        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Instant began = Instant.now();
        System.out.printf(Locale.ROOT, "bench: rate %d req/s for %ds (streams %d req/s for %ds), warm-up %ds, lead-in"
                        + " %ds, %d connections, upstream latency %d ms, %d chunks every %d ms, engine %s%n", rate,
                duration.toSeconds(), streamRate, streamDuration.toSeconds(), warmup.toSeconds(), leadIn.toSeconds(),
                connections, settings.latencyMs(),
                settings.chunks(), settings.chunkDelayMs(), engine.flag());
        try (Lab lab = new Lab(settings); Timeline timeline = Timeline.open(o.string("timeline", ""));
             StallMeters meters = new StallMeters()) {
            Target direct = lab.startUpstream();
            meters.upstream(lab.upstreamPort());
            Probes probes = new Probes(meters, timeline);
            for (String name : targets) {
                try {
                    switch (name.trim()) {
                        case "direct" -> measure(direct, rate, duration, warmup, leadIn, streamRate, streamDuration,
                                connections, timeout, engine, threads, probes, rows);
                        case "warden", "warden-api", "warden-relaxed" -> {
                            // warden-relaxed: the API listener again, the ledger acknowledging before its fsync, so
                            // the same run shows what durability costs.
                            try (Lab.Running warden = lab.startWarden(!name.trim().equals("warden"),
                                    name.trim().equals("warden-relaxed"))) {
                                measure(warden.target(), rate, duration, warmup, leadIn, streamRate, streamDuration,
                                        connections, timeout, engine, threads, probes, rows);
                            }
                        }
                        case "relay" -> {
                            try (Lab.Running relay = lab.startRelay(relayThreads)) {
                                measure(relay.target(), rate, duration, warmup, leadIn, streamRate, streamDuration,
                                        connections, timeout, engine, threads, probes, rows);
                            }
                        }
                        case "portkey" -> {
                            try (Lab.Running portkey = lab.startPortkey()) {
                                measure(portkey.target(), rate, duration, warmup, leadIn, streamRate, streamDuration,
                                        connections, timeout, engine, threads, probes, rows);
                            }
                        }
                        default -> throw new IllegalArgumentException("--targets: " + name
                                + " (expected: direct, relay, warden, warden-api, warden-relaxed, portkey)");
                    }
                } catch (IOException e) {
                    // One target failing to start must not throw away the others' numbers.
                    System.err.println("bench: " + name + " skipped: " + e.getMessage());
                    failures.add(name + ": " + e.getMessage().lines().findFirst().orElse("failed to start"));
                }
            }
        }
        String report = Table.render(rows, began, o.string("label", ""));
        if (!o.string("timeline", "").isBlank()) {
            report += "\nPer-second timeline: " + Path.of(o.string("timeline", "")).toAbsolutePath() + "\n";
        }
        if (!failures.isEmpty()) {
            report += "\nNot measured: " + String.join("; ", failures) + "\n";
        }
        System.out.println();
        System.out.println(report);
        String out = o.string("out", "");
        if (!out.isBlank()) {
            Path file = Path.of(out);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, report, StandardCharsets.UTF_8);
            System.out.println("written to " + file);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    static Lab.Settings settings(Options o) {
        Path benchDir = Path.of(o.string("work-dir", "results/work")).toAbsolutePath();
        String wardenConfig = o.string("warden-config", "");
        return new Lab.Settings(benchDir,
                Path.of(o.string("warden-bin", "../bin/warden")).toAbsolutePath().normalize(),
                Path.of(o.string("portkey-dir", "node_modules/@portkey-ai/gateway")).toAbsolutePath(),
                o.string("warden-java-opts", ""),
                wardenConfig.isBlank() ? null : Path.of(wardenConfig).toAbsolutePath(),
                o.integer("latency-ms", 0, 0, 60_000), o.integer("chunks", 5, 1, 10_000),
                o.integer("chunk-delay-ms", 0, 0, 60_000), Engine.parse(o.string("engine", "nio")),
                o.string("upstream-java-opts", ""));
    }

    private static void measure(Target target, int rate, Duration duration, Duration warmup, Duration leadIn,
                                int streamRate, Duration streamDuration, int connections, Duration timeout,
                                Engine engine, int threads, Probes probes, List<Row> rows) throws InterruptedException {
        LoadSpec plain = new LoadSpec(target.address(), target.path(), target.headers(), Requests.plain(), rate,
                duration, connections, timeout, Duration.ofSeconds(5), engine, threads);
        LoadSpec stream = streamRate == 0 ? null : new LoadSpec(target.address(), target.path(), target.headers(),
                Requests.stream(), streamRate, streamDuration, connections, timeout, Duration.ofSeconds(5), engine,
                threads);
        if (!warmup.isZero()) {
            // A cold JVM at the full rate falls behind while it compiles; this run absorbs that, and the pause lets a
            // target that fell behind catch up, so that neither is charged to a measured phase.
            System.out.printf(Locale.ROOT, "%-8s warm-up %ds%n", target.name(), warmup.toSeconds());
            LoadGenerator.run(plain.withDuration(warmup));
            if (stream != null) {
                LoadGenerator.run(stream.withDuration(Duration.ofSeconds(Math.max(1, warmup.toSeconds() / 2))));
            }
            Thread.sleep(1000);
        }
        // Each phase then starts with a lead-in on its own connections, not recorded, flowing into the measured
        // window without a gap. Without it the window began with 128 connections opened at once, whose first
        // requests took paths (a new connection; before it, 128 closing ones) that the gateway's JIT had compiled
        // away during the warm-up and now deoptimized: the first second or two of every phase measured that
        // recompilation rather than the steady state.
        rows.add(phase(target, "plain", plain.withLeadIn(leadIn), probes));
        if (stream != null) {
            rows.add(phase(target, "stream", stream.withLeadIn(leadIn), probes));
        }
    }

    private static Row phase(Target target, String mode, LoadSpec spec, Probes probes) throws InterruptedException {
        // The gateway's metrics are read before the lead-in, not when the window starts: a scrape costs the gateway
        // 20-130 ms of CPU, which on a saturated box showed as a stall in the window's first second.
        LedgerSyncs syncsBefore = target.metrics() == null ? LedgerSyncs.NONE : LedgerSyncs.scrape(target.metrics());
        long syncsFrom = System.nanoTime();
        CpuTime[] before = {CpuTime.of(target.pid())};
        SecondMedians seconds = new SecondMedians();
        LoadResult r = LoadGenerator.run(spec, Duration.ZERO, null, second -> {
            seconds.add(second.latency());
            StallMeters.Sample m = probes.meters().second();
            if (probes.timeline() != null) {
                probes.timeline().write(target.name(), mode, second, m);
            }
        }, () -> {
            before[0] = CpuTime.of(target.pid()); // when the measured window starts
            probes.meters().begin();
        });
        StallMeters.Sample stalls = probes.meters().phase();
        String cpu = CpuTime.of(target.pid()).microsPerRequest(before[0], r.latency().getTotalCount());
        Rss rss = Rss.of(target.pid());
        String load = loadAverage();
        String ledger = target.metrics() == null ? "" : LedgerSyncs.scrape(target.metrics())
                .since(syncsBefore, Duration.ofNanos(System.nanoTime() - syncsFrom));
        System.out.printf(Locale.ROOT, "%-8s %-6s %6d req/s -> %8.1f ok/s, errors %d %s, p50 %.3f ms, p99 %.3f ms,"
                        + " p99.9 %.3f ms, median second p50 / p99 %s ms, CPU %s µs/req, RSS %s MiB, load %s;"
                        + " p99 / max ms: send lag %s, conn wait %s,"
                        + " generator loop lag %s, upstream loop lag %s, hiccup %s%n", target.name(), mode, spec.rate(),
                r.achievedRate(), r.errorCount(), r.errors().isEmpty() ? "" : r.errors(), LoadResult.ms(r.latency(), 50),
                LoadResult.ms(r.latency(), 99), LoadResult.ms(r.latency(), 99.9), seconds, cpu, rss.mib(), load,
                StallMeters.p99Max(r.sendLag()), StallMeters.p99Max(r.connWait()), StallMeters.p99Max(r.loopLag()),
                StallMeters.p99Max(stalls.upstreamLag()), StallMeters.p99Max(stalls.hiccup()));
        if (!ledger.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-8s %-6s ledger fsync p50 / p99 ms (entries per fsync, fsyncs/s): %s%n",
                    target.name(), mode, ledger);
        }
        return new Row(target.name(), mode, spec.rate(), r, stalls, rss, cpu, load, seconds, ledger);
    }

    /** The 1-minute load average: on a shared box, the reader must see how busy it was during each phase. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
