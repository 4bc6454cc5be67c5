package dev.warden.bench.upstream;

import dev.warden.bench.Engine;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.time.Duration;

/**
 * A fast, deterministic OpenAI-compatible upstream for load runs: {@code POST /v1/chat/completions} (plain and
 * {@code stream: true} SSE, with {@code stream_options.include_usage}), {@code POST /v1/embeddings} and
 * {@code GET /v1/models}. The answer never depends on the request beyond "stream or not", so every gateway under test
 * forwards the same bytes and the comparison measures the gateways, not the upstream.
 *
 * <p>Speed matters more than generality here: it must stay the cheapest process on a 2-core box. So it is a minimal
 * HTTP/1.1 server, responses written in one {@code write} each, and no JSON parsing (a substring check for
 * {@code "stream":true}). Two engines give the same answers byte for byte: {@link NioUpstream} (default, one event
 * loop, delays as timers) and {@link ThreadedUpstream} (the original: blocking sockets, one virtual thread per
 * connection, delays slept). The JDK's {@code HttpServer} was tried first and could not keep its latency low at
 * 1,000 req/s with 128 connections on this machine.
 */
public final class FakeUpstream implements AutoCloseable {

    /** How the upstream answers. */
    public record Options(int port, Duration latency, int chunks, Duration chunkDelay, Engine engine) {
        public Options {
            if (chunks < 1 || chunks > 10_000) {
                throw new IllegalArgumentException("chunks: " + chunks + " (expected: 1..10000)");
            }
            if (latency.isNegative() || chunkDelay.isNegative()) {
                throw new IllegalArgumentException("latency and chunk delay must not be negative");
            }
        }

        /** The default engine (NIO). */
        public Options(int port, Duration latency, int chunks, Duration chunkDelay) {
            this(port, latency, chunks, chunkDelay, Engine.NIO);
        }
    }

    /** One engine's server. */
    interface Server {
        void start();

        int port();

        long served();

        void close();
    }

    private final Server server;

    /**
     * The event loop's lag and iteration work, and the time between consecutive requests (its max is the longest
     * silence), between two {@code GET /stats} (µs), as the NIO engine reports them.
     */
    public record Stats(Histogram lag, Histogram busy, Histogram gap) {
    }

    /**
     * Parses the body of {@code GET /stats} (NIO engine only; the threaded engine answers 404): lines
     * {@code <name> <compressed HdrHistogram, base64>}.
     */
    public static Stats stats(String body) {
        Histogram lag = null;
        Histogram busy = null;
        Histogram gap = new Histogram(3);
        for (String line : body.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length != 2) {
                continue;
            }
            Histogram h;
            try {
                h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(f[1])), 0);
            } catch (java.util.zip.DataFormatException | IllegalArgumentException e) {
                throw new IllegalArgumentException("upstream stats: bad histogram for " + f[0] + ": " + e.getMessage());
            }
            switch (f[0]) {
                case "lag" -> lag = h;
                case "busy" -> busy = h;
                case "gap" -> gap = h;
                default -> { } // a newer upstream may report more: ignored
            }
        }
        if (lag == null || busy == null) {
            throw new IllegalArgumentException("upstream stats: expected lines lag and busy, got: " + body);
        }
        return new Stats(lag, busy, gap);
    }

    public FakeUpstream(Options options) throws IOException {
        this.server = switch (options.engine()) {
            case NIO -> new NioUpstream(options);
            case THREADS -> new ThreadedUpstream(options);
        };
    }

    public FakeUpstream start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** Requests read in full so far. */
    public long served() {
        return server.served();
    }

    @Override
    public void close() {
        server.close();
    }
}
