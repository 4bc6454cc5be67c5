package dev.warden.bench;

import dev.warden.bench.load.LoadGenerator;
import dev.warden.bench.load.LoadResult;
import dev.warden.bench.load.LoadSpec;
import dev.warden.bench.relay.Relay;
import dev.warden.bench.run.CompareCommand;
import dev.warden.bench.run.Options;
import dev.warden.bench.run.SoakCommand;
import dev.warden.bench.upstream.FakeUpstream;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar warden-bench.jar <command>}: {@code compare} (the side-by-side run), {@code soak}, {@code upstream}
 * (the fake provider alone), {@code relay} (a do-nothing HTTP/1.1 relay: the floor of any gateway), {@code load} (one fixed-rate run against any URL) and {@code jmh} (micro-benchmarks).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        int code;
        try {
            code = switch (args[0]) {
                case "compare" -> CompareCommand.run(rest);
                case "soak" -> SoakCommand.run(rest);
                case "upstream" -> upstream(rest);
                case "relay" -> relay(rest);
                case "load" -> load(rest);
                case "jmh" -> {
                    org.openjdk.jmh.Main.main(rest);
                    yield 0;
                }
                default -> {
                    usage();
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("warden-bench: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    private static int upstream(String[] args) throws Exception {
        Options o = Options.parse(args, Set.of("port", "latency-ms", "chunks", "chunk-delay-ms", "engine"), Set.of());
        FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(o.integer("port", 9999, 0, 65535),
                o.millis("latency-ms", 0), o.integer("chunks", 5, 1, 10_000), o.millis("chunk-delay-ms", 0),
                Engine.parse(o.string("engine", "nio")))).start();
        System.out.println("upstream listening on http://127.0.0.1:" + up.port() + "/v1");
        new CountDownLatch(1).await();
        return 0;
    }

    private static int relay(String[] args) throws Exception {
        Options o = Options.parse(args, Set.of("port", "upstream-port", "threads"), Set.of());
        Relay.Threads threads = Relay.Threads.parse("--threads", o.string("threads", "platform"));
        Relay relay = new Relay(o.integer("port", 9998, 0, 65535),
                new InetSocketAddress("127.0.0.1", o.integer("upstream-port", 9999, 1, 65535)), threads).start();
        System.out.println("relay listening on http://127.0.0.1:" + relay.port() + " (" + threads.flag() + " threads)");
        new CountDownLatch(1).await();
        return 0;
    }

    private static int load(String[] args) throws Exception {
        Options o = Options.parse(args, Set.of("url", "rate", "duration", "connections", "timeout-ms", "body", "header",
                "engine", "threads"), Set.of("stream"));
        URI url = URI.create(o.string("url", "http://127.0.0.1:8080/v1/chat/completions"));
        boolean stream = o.flag("stream");
        String body = o.string("body", stream
                ? "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}"
                : "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : o.headers()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header: " + h + " (expected: Name: value)");
            }
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        LoadSpec spec = new LoadSpec(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()),
                url.getRawPath(), headers, body, o.integer("rate", 1000, 1, 1_000_000),
                Duration.ofSeconds(o.integer("duration", 10, 1, 3600)), o.integer("connections", 128, 1, 10_000),
                o.millis("timeout-ms", 10_000), Duration.ofSeconds(5), Engine.parse(o.string("engine", "nio")),
                o.integer("threads", 1, 1, 64));
        LoadResult r = LoadGenerator.run(spec);
        System.out.printf(Locale.ROOT, "%d intended, %d ok (%.0f/s), errors %s%n", r.intended(), r.ok(),
                r.achievedRate(), r.errors());
        System.out.println("latency (ms, from intended start):");
        r.latency().outputPercentileDistribution(System.out, 5, 1000.0);
        if (stream) {
            System.out.printf(Locale.ROOT, "TTFT p50 %.3f ms, p99 %.3f ms%n", LoadResult.ms(r.ttft(), 50),
                    LoadResult.ms(r.ttft(), 99));
        }
        System.out.printf(Locale.ROOT, "send lag p99 %.3f max %.3f ms, conn wait p99 %.3f max %.3f ms,"
                        + " event-loop lag p99 %.3f max %.3f ms%n", LoadResult.ms(r.sendLag(), 99),
                LoadResult.ms(r.sendLag(), 100), LoadResult.ms(r.connWait(), 99), LoadResult.ms(r.connWait(), 100),
                LoadResult.ms(r.loopLag(), 99), LoadResult.ms(r.loopLag(), 100));
        if (r.overhead().getTotalCount() > 0) {
            System.out.printf(Locale.ROOT, "x-warden-overhead-ms p50 %.3f, p99 %.3f%n", LoadResult.ms(r.overhead(), 50),
                    LoadResult.ms(r.overhead(), 99));
        }
        return r.errorCount() == 0 ? 0 : 1;
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar warden-bench.jar <command> [options]
                  compare  --rate 1000 --duration 20 [--targets direct,relay,warden,portkey] [--stream-rate N] ...
                  soak     --minutes 10 --rate 1000 [--target warden|portkey] [--every 30]
                  upstream --port 9999 [--latency-ms 0] [--chunks 5] [--chunk-delay-ms 0] [--engine nio|threads]
                  relay    --port 9998 --upstream-port 9999 [--threads platform|virtual]
                  load     --url http://127.0.0.1:8080/v1/chat/completions --rate 1000 --duration 10 \
                [--stream] [--header 'Authorization: Bearer KEY'] [--engine nio|threads] [--threads 1]
                  (compare and soak take --engine and --threads too: for the load generator and the upstream;
                   --relay-threads platform|virtual for the relay target)
                  jmh      [JMH options, e.g. -f 1 -wi 2 -i 3 -w 1s -r 1s]""");
    }
}
