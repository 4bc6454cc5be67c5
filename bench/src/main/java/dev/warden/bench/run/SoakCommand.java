package dev.warden.bench.run;

import dev.warden.bench.load.LoadGenerator;
import dev.warden.bench.load.LoadResult;
import dev.warden.bench.load.LoadSpec;
import dev.warden.bench.relay.Relay;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Constant load on one gateway for N minutes, printing its resident memory and the interval's latency every 30 s, so
 * a leak shows as a rising line rather than an OOM kill in production.
 */
public final class SoakCommand {

    public static int run(String[] args) throws Exception {
        Set<String> known = new HashSet<>(CompareCommand.OPTIONS);
        known.addAll(Set.of("minutes", "target", "every", "mode"));
        Options o = Options.parse(args, known, Set.of());
        int minutes = o.integer("minutes", 10, 1, 24 * 60);
        int rate = o.integer("rate", 1000, 1, 200_000);
        Duration every = o.seconds("every", 30, 1, 3600);
        String targetName = o.string("target", "warden");
        boolean stream = o.string("mode", "plain").equals("stream");
        int connections = o.integer("connections", 128, 1, 10_000);
        Duration timeout = o.millis("timeout-ms", 10_000);
        Lab.Settings settings = CompareCommand.settings(o);
        int threads = o.integer("threads", 1, 1, 64);

        try (Lab lab = new Lab(settings); Timeline timeline = Timeline.open(o.string("timeline", ""));
             StallMeters meters = new StallMeters()) {
            Target direct = lab.startUpstream();
            meters.upstream(lab.upstreamPort());
            Lab.Running running = switch (targetName) {
                case "warden" -> lab.startWarden();
                case "warden-api" -> lab.startWarden(true);
                case "portkey" -> lab.startPortkey();
                case "relay" -> lab.startRelay(Relay.Threads.PLATFORM);
                case "direct" -> null;
                default -> throw new IllegalArgumentException("--target: " + targetName
                        + " (expected: warden, warden-api, portkey, relay, direct)");
            };
            Target target = running == null ? direct : running.target();
            System.out.printf(Locale.ROOT, "soak: %s, %s, %d req/s for %d min, report every %ds%n", target.name(),
                    stream ? "stream" : "plain", rate, minutes, every.toSeconds());
            System.out.println("| t (s) | UTC end | ok/s | errors | p50 ms | p99 ms | p99.9 ms | max ms | RSS MiB "
                    + "| send lag p99/max | conn wait p99/max | gen loop lag p99/max | upstream lag p99/max "
                    + "| hiccup p99/max |");
            System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Duration warmup = o.seconds("warmup", 10, 0, 600);
            if (!warmup.isZero()) {
                // JIT and pools first, so the series shows steady state rather than start-up.
                System.out.printf(Locale.ROOT, "warm-up %ds (not reported), RSS before: %s MiB%n", warmup.toSeconds(),
                        Rss.of(target.pid()).mib());
                LoadGenerator.run(new LoadSpec(target.address(), target.path(), target.headers(),
                        stream ? Requests.stream() : Requests.plain(), rate, warmup, connections, timeout,
                        Duration.ofSeconds(5), settings.engine(), threads));
            }
            List<Long> rssSeries = new ArrayList<>();
            long t0 = System.nanoTime();
            LoadSpec spec = new LoadSpec(target.address(), target.path(), target.headers(),
                    stream ? Requests.stream() : Requests.plain(), rate, Duration.ofMinutes(minutes), connections,
                    timeout, Duration.ofSeconds(5), settings.engine(), threads);
            String mode = stream ? "stream" : "plain";
            meters.begin();
            LoadResult total = LoadGenerator.run(spec, every, interval -> {
                Rss rss = Rss.of(target.pid());
                rssSeries.add(rss.rssKib());
                StallMeters.Sample m = meters.interval();
                System.out.printf(Locale.ROOT,
                        "| %.0f | %s | %.0f | %d | %.3f | %.3f | %.3f | %.3f | %s | %s | %s | %s | %s | %s |%n",
                        (System.nanoTime() - t0) / 1e9, LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
                        interval.ok() / interval.seconds(), interval.errors(),
                        LoadResult.ms(interval.latency(), 50), LoadResult.ms(interval.latency(), 99),
                        LoadResult.ms(interval.latency(), 99.9), LoadResult.ms(interval.latency(), 100), rss.mib(),
                        StallMeters.p99Max(interval.sendLag()), StallMeters.p99Max(interval.connWait()),
                        StallMeters.p99Max(interval.loopLag()),
                        StallMeters.p99Max(m.upstreamLag()), StallMeters.p99Max(m.hiccup()));
            }, second -> {
                StallMeters.Sample m = meters.second();
                if (timeline != null) {
                    timeline.write(target.name(), mode, second, m);
                }
            });
            StallMeters.Sample stalls = meters.phase();
            Rss end = Rss.of(target.pid());
            System.out.printf(Locale.ROOT, "%nsoak total: %d ok, errors %d %s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms;"
                            + " RSS first %s MiB, last %s MiB, peak %s MiB%n", total.ok(), total.errorCount(),
                    total.errors(), LoadResult.ms(total.latency(), 50), LoadResult.ms(total.latency(), 99),
                    LoadResult.ms(total.latency(), 99.9),
                    rssSeries.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.0f", rssSeries.getFirst() / 1024.0),
                    end.mib(), end.peakMib());
            System.out.printf(Locale.ROOT, "soak stalls (p99 / max ms): send lag %s, conn wait %s, generator loop"
                            + " lag %s, upstream loop lag %s, hiccup %s%n", StallMeters.p99Max(total.sendLag()),
                    StallMeters.p99Max(total.connWait()),
                    StallMeters.p99Max(total.loopLag()), StallMeters.p99Max(stalls.upstreamLag()),
                    StallMeters.p99Max(stalls.hiccup()));
            if (running != null) {
                running.close();
            }
        }
        return 0;
    }
}
