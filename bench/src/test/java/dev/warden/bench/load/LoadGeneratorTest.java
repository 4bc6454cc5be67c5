package dev.warden.bench.load;

import dev.warden.bench.Engine;
import dev.warden.bench.upstream.FakeUpstream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both engines, same expectations: they must be interchangeable in every table the harness prints. */
class LoadGeneratorTest {

    private static LoadSpec spec(int port, String body, int rate, int seconds, Engine engine) {
        return new LoadSpec(new InetSocketAddress("127.0.0.1", port), "/v1/chat/completions",
                Map.of("Authorization", "Bearer test"), body, rate, Duration.ofSeconds(seconds), 8,
                Duration.ofSeconds(5), Duration.ofSeconds(2), engine, 1);
    }

    private static LoadSpec spec(int port, int rate, int seconds, int connections, Duration timeout, Duration drain,
                                 Engine engine) {
        return new LoadSpec(new InetSocketAddress("127.0.0.1", port), "/v1/chat/completions", Map.of(), "{}", rate,
                Duration.ofSeconds(seconds), connections, timeout, drain, engine, 1);
    }

    /** Every intended request is recorded exactly once: as a response, an error or an unsent request. */
    private static void assertAllRecorded(LoadResult r) {
        assertEquals(r.intended(), r.latency().getTotalCount(), () -> "latency count, errors " + r.errors());
        assertEquals(r.intended(), r.ok() + r.errorCount(), () -> "ok + errors, errors " + r.errors());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void sendsEveryScheduledRequestToAFastUpstream(Engine engine) throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{\"model\":\"m\",\"messages\":[]}", 200, 1, engine));
            assertEquals(200, r.intended());
            assertEquals(200, r.ok(), () -> "errors: " + r.errors());
            assertEquals(200, r.latency().getTotalCount());
            assertEquals(200, up.served());
            assertTrue(r.achievedRate() > 150 && r.achievedRate() < 250, "achieved " + r.achievedRate());
        }
    }

    @Test
    void nioSplitsTheScheduleAcrossSeveralLoops() throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{}", 301, 1, Engine.NIO).withEngine(Engine.NIO, 3));
            assertEquals(301, r.ok(), () -> "errors: " + r.errors());
            assertEquals(301, up.served());
            assertAllRecorded(r);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void measuresTimeToFirstTokenOnStreams(Engine engine) throws Exception {
        Duration latency = Duration.ofMillis(30);
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, latency, 4, Duration.ofMillis(5))).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{\"model\":\"m\",\"stream\":true}", 50, 1, engine));
            assertEquals(50, r.ok(), () -> "errors: " + r.errors());
            double ttftP50 = LoadResult.ms(r.ttft(), 50);
            double totalP50 = LoadResult.ms(r.latency(), 50);
            assertTrue(ttftP50 >= 30, "TTFT includes the upstream's first-token latency: " + ttftP50);
            assertTrue(totalP50 >= ttftP50 + 10, "the stream ends after its 4 chunk delays: " + totalP50);
        }
    }

    /**
     * TTFT is the first {@code data:} line, even split across two writes, not the headers (sent at once) and not the
     * end; without an event stream it is the end of the response.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void timeToFirstTokenIsTheFirstDataLineNotTheHeaders(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            Thread.sleep(60);
            x.write("13\r\nevent: x\nda"); // 0x13 = 19 bytes: "event: x\n" and "data: {}\n\n"
            Thread.sleep(5);
            x.write("ta: {}\n\n\r\n");
            Thread.sleep(60);
            x.write("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 20, 1, 4, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(20, r.ok(), () -> "errors: " + r.errors());
            double ttft = LoadResult.ms(r.ttft(), 50);
            double total = LoadResult.ms(r.latency(), 50);
            assertTrue(ttft >= 65 && ttft < 110, "TTFT at the data line after 65 ms: " + ttft);
            assertTrue(total >= 125 && total > ttft + 50, "end after 125 ms: " + total);
        }
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n");
            Thread.sleep(50);
            x.write("data: not-an-sse\n");
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 10, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(10, r.ok(), () -> "errors: " + r.errors());
            assertTrue(LoadResult.ms(r.ttft(), 50) >= 50, "not an event stream: TTFT is the end of the response");
        }
    }

    /** Coordinated omission: a stalled target must show the stall on every request that fell due during it. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void countsQueueingBehindASlowTargetFromTheIntendedStart(Engine engine) throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ofMillis(100), 1, Duration.ZERO))
                .start()) {
            // 1 connection at 50 req/s against 100 ms answers: the schedule runs ahead, requests queue.
            LoadSpec one = new LoadSpec(new InetSocketAddress("127.0.0.1", up.port()), "/v1/chat/completions",
                    Map.of(), "{}", 50, Duration.ofSeconds(1), 1, Duration.ofSeconds(5), Duration.ofSeconds(10),
                    engine, 1);
            LoadResult r = LoadGenerator.run(one);
            assertEquals(50, r.ok());
            assertTrue(LoadResult.ms(r.latency(), 99) > 2000, "queueing shows in the tail: p99 "
                    + LoadResult.ms(r.latency(), 99) + " ms");
        }
    }

    /**
     * A target that answers at once but stalls every answer for 500 ms, 600 ms into the run: at 200 req/s, ~100
     * requests fall due during the stall. Measured from their intended start, the ones due in its first half waited
     * at least 250 ms (~50); measured from when they were sent (after the stall, on a free connection) only the 8 in
     * flight would show it.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStallShowsOnEveryRequestThatFellDueDuringIt(Engine engine) throws Exception {
        AtomicLong first = new AtomicLong();
        try (ScriptedServer server = new ScriptedServer(x -> {
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            long stallStart = first.get() + 600_000_000L;
            long stallEnd = stallStart + 500_000_000L;
            if (now >= stallStart && now < stallEnd) {
                Thread.sleep(Duration.ofNanos(stallEnd - now));
            }
            x.write(ScriptedServer.OK);
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 200, 2, 8, Duration.ofSeconds(5),
                    Duration.ofSeconds(3), engine));
            assertEquals(400, r.ok(), () -> "errors: " + r.errors());
            Histogram h = r.latency();
            long stalled = h.getCountBetweenValues(250_000, h.getMaxValue());
            assertTrue(stalled >= 40 && stalled <= 70, "requests that waited 250 ms or more: " + stalled);
            assertTrue(h.getMaxValue() >= 450_000, "the first request of the stall waited ~500 ms: " + h.getMaxValue());
            assertTrue(LoadResult.ms(h, 50) < 50, "outside the stall answers are fast: p50 " + LoadResult.ms(h, 50));
        }
    }

    /** Chunk extensions, trailers, bodies split anywhere, and the x-warden-overhead-ms header. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void readsChunkedBodiesAndTheOverheadHeader(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-warden-overhead-ms: 1.5\r\n\r\n4;ext=1\r\n");
            Thread.sleep(2);
            x.write("ab");
            Thread.sleep(2);
            x.write("cd\r\n0");
            Thread.sleep(2);
            x.write("\r\nTrailer: t\r\n\r\n");
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 50, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(50, r.ok(), () -> "errors: " + r.errors());
            assertEquals(50, server.requests(), "each response ended where it should: no extra or lost request");
            assertEquals(50, r.overhead().getTotalCount());
            assertEquals(1.5, LoadResult.ms(r.overhead(), 50), 0.01);
            assertAllRecorded(r);
        }
    }

    /** Responses with Connection: close, then silently closed keep-alive connections: reconnect, no errors. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void reconnectsWhenTheServerClosesConnections(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
            return false;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 100, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(100, r.ok(), () -> "errors: " + r.errors());
            assertTrue(server.connections() >= 100, "one connection per request: " + server.connections());
        }
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write(ScriptedServer.OK);
            return x.onConnection() < 3; // keep-alive as far as the client knows, then closed after the third
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 100, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(100, r.ok(), () -> "errors: " + r.errors());
            assertTrue(server.connections() >= 34, "reconnected: " + server.connections());
        }
    }

    /** A kept-alive connection the server drops without answering: the request is sent again on a new one. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void retriesOnceWhenAKeptAliveConnectionFails(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            if (x.onConnection() == 2) {
                return false; // read the request, closed without a word
            }
            x.write(ScriptedServer.OK);
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 100, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(100, r.ok(), () -> "errors: " + r.errors());
            assertTrue(server.requests() > 100, "some requests were sent twice: " + server.requests());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void countsErrorsByKind(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 40, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(Map.of("http-503", 40L), r.errors());
            assertEquals(0, r.ttft().getTotalCount(), "TTFT is recorded for successful answers only");
            assertAllRecorded(r);
        }
        try (ScriptedServer server = new ScriptedServer(x -> {
            Thread.sleep(10_000); // never answers in time
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 10, 1, 10, Duration.ofMillis(300),
                    Duration.ofSeconds(2), engine));
            assertEquals(Map.of("timeout", 10L), r.errors());
            assertTrue(LoadResult.ms(r.latency(), 50) >= 300, "a timeout counts its wait: " + r.latency());
            assertAllRecorded(r);
        }
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
            return false; // body ended early
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 20, 1, 2, Duration.ofSeconds(5),
                    Duration.ofSeconds(2), engine));
            assertEquals(Map.of("io-EOFException", 20L), r.errors());
            assertAllRecorded(r);
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        LoadResult r = LoadGenerator.run(spec(closedPort, 20, 1, 2, Duration.ofSeconds(5), Duration.ofSeconds(2),
                engine));
        assertEquals(Map.of("io-ConnectException", 20L), r.errors());
        assertAllRecorded(r);
    }

    /** Requests that could not even be sent before the drain deadline are errors that carry their wait. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void requestsNeverSentAreUnsentErrors(Engine engine) throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ofMillis(400), 1, Duration.ZERO))
                .start()) {
            // 1 connection, 400 ms answers, 20 req/s for 1 s, 1 s of drain: ~5 sent, ~15 never.
            LoadResult r = LoadGenerator.run(spec(up.port(), 20, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(1),
                    engine));
            long unsent = r.errors().getOrDefault("unsent", 0L);
            assertTrue(unsent >= 10 && r.ok() >= 3 && r.ok() + unsent == 20, "ok " + r.ok() + ", " + r.errors());
            assertTrue(LoadResult.ms(r.latency(), 100) >= 1000, "unsent requests weigh on the tail");
            assertAllRecorded(r);
        }
    }

    /** Soak mode: an interval every second while the run goes on, and the total still has every request. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void reportsIntervalsDuringTheRun(Engine engine) throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            java.util.List<LoadGenerator.Interval> intervals = new java.util.concurrent.CopyOnWriteArrayList<>();
            LoadResult r = LoadGenerator.run(spec(up.port(), "{}", 100, 3, engine), Duration.ofSeconds(1),
                    intervals::add);
            assertEquals(300, r.ok(), () -> "errors: " + r.errors());
            assertTrue(intervals.size() >= 2 && intervals.size() <= 3, "intervals: " + intervals.size());
            for (LoadGenerator.Interval i : intervals) {
                assertTrue(i.seconds() > 0.9 && i.seconds() < 1.2, "interval of " + i.seconds() + " s");
                assertTrue(i.ok() >= 85 && i.ok() <= 115, "ok in an interval at 100 req/s: " + i.ok());
                // The interval's histogram and its counters are read one after the other (as they always were): a
                // response recorded in between lands in two neighbouring intervals. Off by a few at most.
                assertTrue(Math.abs(i.ok() - i.latency().getTotalCount()) <= 3,
                        "ok " + i.ok() + ", latencies " + i.latency().getTotalCount());
            }
            assertAllRecorded(r);
        }
    }

    /**
     * The part of a latency spent before the target could see the request, split in two: here one connection and
     * answers of 50 ms, so requests due every 10 ms wait for the connection. The NIO engine charges that wait to the
     * target (conn wait) and its own lateness stays small (send lag); the threaded engine cannot tell them apart.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void tellsTheGeneratorsLatenessFromWaitingForABusyConnection(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            Thread.sleep(50);
            x.write(ScriptedServer.OK);
            return true;
        })) {
            LoadResult r = LoadGenerator.run(spec(server.port(), 100, 1, 1, Duration.ofSeconds(5),
                    Duration.ofSeconds(10), engine));
            assertEquals(100, r.ok(), () -> "errors: " + r.errors());
            assertEquals(100, r.sendLag().getTotalCount(), "once per request");
            Histogram waited = r.sendLag().copy();
            waited.add(r.connWait());
            assertTrue(LoadResult.ms(waited, 100) > 1000, "the last requests waited seconds to be written: "
                    + LoadResult.ms(waited, 100));
            if (engine == Engine.NIO) {
                assertTrue(LoadResult.ms(r.connWait(), 100) > 1000, "waiting for the connection: "
                        + LoadResult.ms(r.connWait(), 100));
                assertTrue(LoadResult.ms(r.sendLag(), 99) < 20, "the generator itself was on time: p99 "
                        + LoadResult.ms(r.sendLag(), 99));
            }
        }
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{}", 200, 1, engine));
            assertEquals(200, r.sendLag().getTotalCount());
            assertTrue(LoadResult.ms(r.sendLag(), 50) < 5, "a fast target: sent on time, p50 "
                    + LoadResult.ms(r.sendLag(), 50));
            if (engine == Engine.NIO) {
                assertTrue(r.loopLag().getTotalCount() >= 500, "the event loop's 1 ms heartbeat over ~1 s: "
                        + r.loopLag().getTotalCount());
            } else {
                assertEquals(0, r.loopLag().getTotalCount(), "no event loop to meter");
            }
        }
    }

    /**
     * A lead-in is sent at the same rate on the same connections, then the measured window starts without a gap: only
     * its requests are recorded, and the hook runs once, when it starts.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aLeadInWarmsTheSameConnectionsAndIsNotRecorded(Engine engine) throws Exception {
        try (ScriptedServer server = new ScriptedServer(x -> {
            x.write(ScriptedServer.OK);
            return true;
        })) {
            LoadSpec spec = spec(server.port(), 200, 1, 4, Duration.ofSeconds(5), Duration.ofSeconds(2), engine)
                    .withLeadIn(Duration.ofSeconds(1));
            long[] hookAt = {0};
            int[] hookRuns = {0};
            int[] servedAtHook = {0};
            java.util.List<LoadGenerator.Second> seconds = new java.util.ArrayList<>();
            long before = System.nanoTime();
            LoadResult r = LoadGenerator.run(spec, Duration.ZERO, null, seconds::add, () -> {
                hookRuns[0]++;
                hookAt[0] = System.nanoTime();
                servedAtHook[0] = server.requests();
            });

            assertEquals(200, r.intended());
            assertEquals(200, r.ok(), () -> "errors: " + r.errors());
            assertAllRecorded(r);
            assertEquals(400, server.requests(), "the lead-in's 200 were sent too");
            assertEquals(4, server.connections(), "the measured window kept the lead-in's connections");
            assertEquals(1, hookRuns[0]);
            double hookSeconds = (hookAt[0] - before) / 1e9;
            assertTrue(hookSeconds > 0.95 && hookSeconds < 1.5, "measuring began after " + hookSeconds + " s");
            // About 200 lead-in requests were due by then; a busy CI box may have served somewhat fewer.
            assertTrue(servedAtHook[0] >= 100 && servedAtHook[0] <= 260, "served at the start: " + servedAtHook[0]);
            assertEquals(200, seconds.stream().mapToLong(LoadGenerator.Second::ok).sum(), "seconds: measured only");
            assertTrue(seconds.getFirst().offsetSeconds() < 0.05, "seconds count from the measured start");
            assertTrue(r.achievedRate() > 150 && r.achievedRate() < 250, "achieved " + r.achievedRate());
        }
    }

    /** The per-second timeline: consecutive seconds on the wall clock that add up to the whole run. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void handsOverEverySecondOfTheRun(Engine engine) throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            java.util.List<LoadGenerator.Second> seconds = new java.util.ArrayList<>();
            long before = System.currentTimeMillis();
            LoadResult r = LoadGenerator.run(spec(up.port(), "{}", 100, 3, engine), Duration.ZERO, null,
                    seconds::add);
            assertEquals(300, r.ok(), () -> "errors: " + r.errors());
            assertTrue(seconds.size() >= 3 && seconds.size() <= 5, "seconds: " + seconds.size());
            assertEquals(300, seconds.stream().mapToLong(LoadGenerator.Second::ok).sum());
            assertEquals(300, seconds.stream().mapToLong(s -> s.latency().getTotalCount()).sum());
            assertEquals(300, seconds.stream().mapToLong(s -> s.sendLag().getTotalCount()).sum());
            assertTrue(Math.abs(seconds.getFirst().startEpochMillis() - before) < 500,
                    "wall clock of the first second: " + seconds.getFirst().startEpochMillis() + " vs " + before);
            for (int i = 1; i < seconds.size(); i++) {
                LoadGenerator.Second prev = seconds.get(i - 1);
                long step = seconds.get(i).startEpochMillis() - prev.startEpochMillis();
                assertTrue(Math.abs(step - prev.seconds() * 1000) < 50, "second " + i + " starts where "
                        + (i - 1) + " ended: " + step + " ms vs " + prev.seconds() + " s");
                assertTrue(prev.seconds() > 0.95 && prev.seconds() < 1.2, "a second of " + prev.seconds());
            }
        }
    }

    /** The NIO engine sleeps between requests: at a low rate its process must stay far below a busy core. */
    @Test
    void nioEngineDoesNotSpinBetweenRequests() throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            LoadGenerator.run(spec(up.port(), "{}", 200, 1, Engine.NIO)); // JIT warm-up
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            LoadResult r = LoadGenerator.run(spec(up.port(), "{}", 100, 3, Engine.NIO));
            double share = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
            assertEquals(300, r.ok());
            // Generator and upstream together; a spinning loop alone would be 1.0 (a whole core).
            assertTrue(share < 0.3, "CPU used per second of wall time: " + share);
        }
    }

    /** The single-thread pacing kept for comparison ({@code -Dwarden.bench.pacing=loop}) keeps the semantics. */
    @Test
    void loopPacingKeepsTheSemantics() throws Exception {
        System.setProperty(NioLoadGenerator.PACING_PROPERTY, "loop");
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ofMillis(100), 1, Duration.ZERO))
                .start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), 50, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(10),
                    Engine.NIO));
            assertEquals(50, r.ok());
            assertTrue(LoadResult.ms(r.latency(), 99) > 2000, "queueing shows: p99 " + LoadResult.ms(r.latency(), 99));
        } finally {
            System.clearProperty(NioLoadGenerator.PACING_PROPERTY);
        }
    }
}
