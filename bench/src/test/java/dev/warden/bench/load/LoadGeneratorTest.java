package dev.warden.bench.load;

import dev.warden.bench.upstream.FakeUpstream;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest {

    private static LoadSpec spec(int port, String body, int rate, int seconds) {
        return new LoadSpec(new InetSocketAddress("127.0.0.1", port), "/v1/chat/completions",
                Map.of("Authorization", "Bearer test"), body, rate, Duration.ofSeconds(seconds), 8,
                Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    @Test
    void sendsEveryScheduledRequestToAFastUpstream() throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ZERO, 5, Duration.ZERO)).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{\"model\":\"m\",\"messages\":[]}", 200, 1));
            assertEquals(200, r.intended());
            assertEquals(200, r.ok(), () -> "errors: " + r.errors());
            assertEquals(200, r.latency().getTotalCount());
            assertEquals(200, up.served());
        }
    }

    @Test
    void measuresTimeToFirstTokenOnStreams() throws Exception {
        Duration latency = Duration.ofMillis(30);
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, latency, 4, Duration.ofMillis(5))).start()) {
            LoadResult r = LoadGenerator.run(spec(up.port(), "{\"model\":\"m\",\"stream\":true}", 50, 1));
            assertEquals(50, r.ok(), () -> "errors: " + r.errors());
            double ttftP50 = LoadResult.ms(r.ttft(), 50);
            double totalP50 = LoadResult.ms(r.latency(), 50);
            assertTrue(ttftP50 >= 30, "TTFT includes the upstream's first-token latency: " + ttftP50);
            assertTrue(totalP50 >= ttftP50 + 10, "the stream ends after its 3 chunk delays: " + totalP50);
        }
    }

    /** Coordinated omission: a stalled target must show the stall on every request that fell due during it. */
    @Test
    void countsQueueingBehindASlowTargetFromTheIntendedStart() throws Exception {
        try (FakeUpstream up = new FakeUpstream(new FakeUpstream.Options(0, Duration.ofMillis(100), 1, Duration.ZERO))
                .start()) {
            // 1 connection at 50 req/s against 100 ms answers: the schedule runs ahead, requests queue.
            LoadSpec one = new LoadSpec(new InetSocketAddress("127.0.0.1", up.port()), "/v1/chat/completions",
                    Map.of(), "{}", 50, Duration.ofSeconds(1), 1, Duration.ofSeconds(5), Duration.ofSeconds(10));
            LoadResult r = LoadGenerator.run(one);
            assertEquals(50, r.ok());
            assertTrue(LoadResult.ms(r.latency(), 99) > 2000, "queueing shows in the tail: p99 "
                    + LoadResult.ms(r.latency(), 99) + " ms");
        }
    }
}
