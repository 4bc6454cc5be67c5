package dev.warden.bench.upstream;

import dev.warden.bench.Engine;
import dev.warden.bench.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeUpstreamTest {

    private static final String PLAIN = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"model\":\"m\",\"stream\": true}";
    private static final String STREAM_USAGE = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

    private static FakeUpstream start(Engine engine, Duration latency, int chunks, Duration chunkDelay)
            throws IOException {
        return new FakeUpstream(new FakeUpstream.Options(0, latency, chunks, chunkDelay, engine)).start();
    }

    private static byte[] request(String method, String path, String body, String extraHeaders) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return (method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders
                + (b.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n" : "")
                + "\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one response: headers, then Content-Length bytes or chunks up to the last one. Raw bytes. */
    private static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = Wire.readUntil(in, out, "\r\n\r\n");
        int cl = head.toLowerCase().indexOf("content-length: ");
        if (cl >= 0) {
            int n = Integer.parseInt(head.substring(cl + 16, head.indexOf("\r\n", cl)));
            out.write(in.readNBytes(n));
        } else {
            Wire.readUntil(in, out, "\r\n0\r\n\r\n");
        }
        return out.toByteArray();
    }

    /** Sends each request on one keep-alive connection and returns the answers. */
    private static List<byte[]> exchange(int port, byte[]... requests) throws IOException {
        List<byte[]> answers = new ArrayList<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            for (byte[] r : requests) {
                s.getOutputStream().write(r);
                answers.add(readResponse(s.getInputStream()));
            }
        }
        return answers;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * {@code GET /stats} reports the event loop's lag and work since the previous call, then starts over: an idle
     * loop still wakes on its 1 ms heartbeat, so a fifth of a second is a couple of hundred lag samples.
     */
    @Test
    void reportsItsEventLoopLagAndResetsIt() throws Exception {
        try (FakeUpstream up = start(Engine.NIO, Duration.ZERO, 3, Duration.ZERO)) {
            exchange(up.port(), request("GET", "/stats", "", "")); // the lag since start-up
            Thread.sleep(200);
            List<byte[]> answers = exchange(up.port(), request("GET", "/stats", "", ""),
                    request("POST", "/v1/chat/completions", PLAIN, ""), request("GET", "/stats", "", ""));
            String first = text(answers.get(0));
            assertTrue(first.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"), first);
            FakeUpstream.Stats stats = FakeUpstream.stats(first.substring(first.indexOf("\r\n\r\n") + 4));
            assertTrue(stats.lag().getTotalCount() >= 50 && stats.lag().getTotalCount() <= 260,
                    "heartbeats in 200 ms: " + stats.lag().getTotalCount());
            assertTrue(stats.busy().getTotalCount() >= stats.lag().getTotalCount(), "every wake-up is an iteration");
            assertEquals(1, stats.gap().getTotalCount(), "this call, after a silence");
            assertTrue(stats.gap().getMaxValue() >= 190_000, "the silence, µs: " + stats.gap().getMaxValue());
            String second = text(answers.get(2));
            FakeUpstream.Stats again = FakeUpstream.stats(second.substring(second.indexOf("\r\n\r\n") + 4));
            assertTrue(again.lag().getTotalCount() < stats.lag().getTotalCount() / 2,
                    "reset by the previous call: " + again.lag().getTotalCount());
            assertEquals(2, again.gap().getTotalCount(), "the completion and this call");
            assertEquals(4, up.served(), "stats requests count as served, like /v1/models");
        }
    }

    @Test
    void statsBodiesThatAreNotHistogramsAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FakeUpstream.stats("lag !!!\nbusy x\n"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FakeUpstream.stats("{\"error\":{}}"));
    }

    /** Gateways must see the same bytes whichever engine the upstream runs. */
    @Test
    void bothEnginesAnswerTheSameBytes() throws IOException {
        byte[][] requests = {
                request("POST", "/v1/chat/completions", PLAIN, ""),
                request("POST", "/v1/chat/completions", STREAM, ""),
                request("POST", "/v1/chat/completions", STREAM_USAGE, "Authorization: Bearer x\r\n"),
                request("POST", "/v1/embeddings", "{\"input\":\"x\"}", ""),
                request("GET", "/v1/models", "", ""),
                request("POST", "/v2/other", "{}", ""),
        };
        List<byte[]> nio;
        List<byte[]> threads;
        try (FakeUpstream up = start(Engine.NIO, Duration.ZERO, 3, Duration.ZERO)) {
            nio = exchange(up.port(), requests);
            assertEquals(requests.length, up.served());
        }
        try (FakeUpstream up = start(Engine.THREADS, Duration.ZERO, 3, Duration.ZERO)) {
            threads = exchange(up.port(), requests);
        }
        for (int i = 0; i < requests.length; i++) {
            assertArrayEquals(threads.get(i), nio.get(i), "answer " + i + ":\n" + text(nio.get(i)));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void answersChatCompletionsPlainAndStreamed(Engine engine) throws IOException {
        try (FakeUpstream up = start(engine, Duration.ZERO, 3, Duration.ZERO)) {
            List<byte[]> answers = exchange(up.port(), request("POST", "/v1/chat/completions", PLAIN, ""),
                    request("POST", "/v1/chat/completions", STREAM, ""),
                    request("POST", "/v1/chat/completions", STREAM_USAGE, ""));
            String plain = text(answers.get(0));
            assertTrue(plain.startsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "), plain);
            assertTrue(plain.contains("\"content\":\"tok0 tok1 tok2 \""), plain);
            assertTrue(plain.contains("\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}"));

            String stream = text(answers.get(1));
            assertTrue(stream.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache"
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n"), stream);
            assertEquals(5, count(stream, "data: "), "3 tokens, the finish event and [DONE]: " + stream);
            assertTrue(stream.contains("\"delta\":{\"role\":\"assistant\",\"content\":\"tok0 \"}"));
            assertTrue(stream.contains("\"finish_reason\":\"stop\""));
            assertTrue(stream.endsWith("data: [DONE]\n\n\r\n0\r\n\r\n"), stream);
            assertTrue(!stream.contains("\"usage\""), "usage only when asked for");

            String withUsage = text(answers.get(2));
            assertEquals(6, count(withUsage, "data: "), withUsage);
            assertTrue(withUsage.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"));
            assertTrue(withUsage.indexOf("\"usage\"") < withUsage.indexOf("[DONE]"));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void answersEmbeddingsModelsAndUnknownPaths(Engine engine) throws IOException {
        try (FakeUpstream up = start(engine, Duration.ZERO, 5, Duration.ZERO)) {
            List<byte[]> answers = exchange(up.port(), request("POST", "/v1/embeddings", "{\"input\":\"x\"}", ""),
                    request("GET", "/v1/models", "", ""), request("POST", "/nowhere", "{}", ""));
            assertTrue(text(answers.get(0)).endsWith("\"embedding\":[0.1,0.2,0.3,0.4]}],\"model\":\"bench-model\","
                    + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}"), text(answers.get(0)));
            assertTrue(text(answers.get(1)).contains("\"id\":\"bench-model\""));
            assertTrue(text(answers.get(2)).startsWith("HTTP/1.1 404 Not Found\r\n"));
            assertEquals(3, up.served());
        }
    }

    /** Latency before a plain answer and before the first event (headers at once), then the chunk delays. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void waitsTheLatencyAndTheChunkDelays(Engine engine) throws IOException {
        try (FakeUpstream up = start(engine, Duration.ofMillis(80), 3, Duration.ofMillis(30));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), up.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            s.getOutputStream().write(request("POST", "/v1/embeddings", "{}", ""));
            readResponse(in);
            assertTrue(ms(t0) >= 80, "embeddings after the latency: " + ms(t0));

            t0 = System.nanoTime();
            s.getOutputStream().write(request("POST", "/v1/chat/completions", PLAIN, ""));
            readResponse(in);
            assertTrue(ms(t0) >= 80, "completion after the latency: " + ms(t0));

            t0 = System.nanoTime();
            s.getOutputStream().write(request("POST", "/v1/chat/completions", STREAM_USAGE, ""));
            Wire.readUntil(in, new ByteArrayOutputStream(), "\r\n\r\n");
            double headers = ms(t0);
            Wire.readUntil(in, new ByteArrayOutputStream(), "\n\n\r\n");
            double firstEvent = ms(t0);
            Wire.readUntil(in, new ByteArrayOutputStream(), "\r\n0\r\n\r\n");
            double end = ms(t0);
            assertTrue(headers < 60, "headers at once: " + headers);
            assertTrue(firstEvent >= 80, "first event after the latency: " + firstEvent);
            assertTrue(end - firstEvent >= 90, "3 chunk delays of 30 ms after the first event: " + (end - firstEvent));
        }
    }

    /** Keep-alive with requests sent back to back in one write, answered in order; Connection: close honoured. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void answersPipelinedRequestsInOrderAndHonoursConnectionClose(Engine engine) throws IOException {
        try (FakeUpstream up = start(engine, Duration.ofMillis(20), 2, Duration.ofMillis(5));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), up.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(request("POST", "/v1/chat/completions", STREAM, ""));
            both.write(request("POST", "/v1/embeddings", "{}", "Connection: close\r\n"));
            out.write(both.toByteArray());
            InputStream in = s.getInputStream();
            assertTrue(text(readResponse(in)).contains("text/event-stream"));
            assertTrue(text(readResponse(in)).contains("\"embedding\""));
            assertEquals(-1, in.read(), "closed after the Connection: close request");
            assertEquals(2, up.served());
        }
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
