package dev.warden.bench.load;

import dev.warden.bench.Engine;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One fixed-rate run: where to send, what to send, how fast and for how long.
 *
 * @param rate        intended requests per second; the schedule never slows down for a slow target (open loop)
 * @param connections keep-alive connections (and, for {@link Engine#THREADS}, worker threads); requests wait in a
 *                    queue when all are busy, and that wait counts in their latency because it is measured from
 *                    the intended start
 * @param drain       how long after the last intended start to wait for stragglers before counting them as errors
 * @param engine      {@link Engine#NIO} (event loops, the default) or {@link Engine#THREADS} (the original blocking
 *                    workers, one thread per connection)
 * @param threads     event loops for {@link Engine#NIO} (each with its share of the connections and of the schedule);
 *                    ignored by {@link Engine#THREADS}
 * @param leadIn      a warm-up at the same rate on the same connections, right before {@code duration} and not
 *                    recorded: the measured window starts in the steady state the lead-in reached, with no gap, no
 *                    reconnect and no burst of new connections at its start (zero: none)
 */
public record LoadSpec(
        InetSocketAddress address,
        String path,
        Map<String, String> headers,
        String body,
        int rate,
        Duration duration,
        int connections,
        Duration timeout,
        Duration drain,
        Engine engine,
        int threads,
        Duration leadIn) {

    /** The default engine: one NIO event loop. */
    public LoadSpec(InetSocketAddress address, String path, Map<String, String> headers, String body, int rate,
                    Duration duration, int connections, Duration timeout, Duration drain) {
        this(address, path, headers, body, rate, duration, connections, timeout, drain, Engine.NIO, 1);
    }

    /** No lead-in. */
    public LoadSpec(InetSocketAddress address, String path, Map<String, String> headers, String body, int rate,
                    Duration duration, int connections, Duration timeout, Duration drain, Engine engine, int threads) {
        this(address, path, headers, body, rate, duration, connections, timeout, drain, engine, threads,
                Duration.ZERO);
    }

    public LoadSpec {
        if (rate < 1 || rate > 1_000_000) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: 1..1000000)");
        }
        if (connections < 1 || connections > 10_000) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: 1..10000)");
        }
        if (threads < 1 || threads > Math.min(64, connections)) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: 1.." + Math.min(64, connections)
                    + ", at most one per connection)");
        }
        java.util.Objects.requireNonNull(leadIn, "leadIn");
        if (leadIn.isNegative() || leadIn.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("leadIn: " + leadIn + " (expected: 0..1h)");
        }
        headers = Map.copyOf(headers);
    }

    public LoadSpec withDuration(Duration d) {
        return new LoadSpec(address, path, headers, body, rate, d, connections, timeout, drain, engine, threads,
                leadIn);
    }

    public LoadSpec withLeadIn(Duration d) {
        return new LoadSpec(address, path, headers, body, rate, duration, connections, timeout, drain, engine, threads,
                d);
    }

    /** Requests of the lead-in: those due before the measured window starts. */
    long leadInRequests(long period) {
        return (leadIn.toNanos() + period - 1) / period;
    }

    public LoadSpec withEngine(Engine e, int loops) {
        return new LoadSpec(address, path, headers, body, rate, duration, connections, timeout, drain, e, loops,
                leadIn);
    }

    /** The complete request, rendered once and written as-is by every worker. */
    byte[] requestBytes() {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(payload.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + payload.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(payload, 0, all, h.length, payload.length);
        return all;
    }
}
