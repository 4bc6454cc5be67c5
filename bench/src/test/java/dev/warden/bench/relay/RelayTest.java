package dev.warden.bench.relay;

import dev.warden.bench.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayTest {

    private ServerSocket upstream;
    private Relay relay;
    private final AtomicInteger upstreamConnections = new AtomicInteger();
    private final BlockingQueue<byte[]> requestsSeen = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** An upstream that reads each request whole (head + Content-Length body) and answers with the scripted bytes. */
    private void upstream(List<Answer> answers) throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).start(() -> {
            try (Socket s = upstream.accept()) {
                upstreamConnections.incrementAndGet();
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (Answer answer : answers) {
                    requestsSeen.add(readRequest(in));
                    for (String part : answer.parts()) {
                        out.write(part.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (answer.between() != null) {
                            answer.between().await(5, TimeUnit.SECONDS);
                        }
                    }
                    if (answer.close()) {
                        return; // the end of the connection ends this answer
                    }
                }
                s.getInputStream().read(); // wait for the relay to close
            } catch (IOException | InterruptedException e) {
                // test over
            }
        });
        relay = new Relay(0, new InetSocketAddress("127.0.0.1", upstream.getLocalPort()), Relay.Threads.PLATFORM).start();
    }

    private record Answer(List<String> parts, CountDownLatch between, boolean close) {
        static Answer of(String... parts) {
            return new Answer(List.of(parts), null, false);
        }
    }

    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = Wire.readUntil(in, out, "\r\n\r\n");
        int cl = head.toLowerCase().indexOf("content-length: ");
        if (cl >= 0) {
            out.write(in.readNBytes(Integer.parseInt(head.substring(cl + 16, head.indexOf("\r\n", cl)))));
        }
        return out.toByteArray();
    }

    private static byte[] post(String body) {
        return ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private Socket client() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port());
        s.setSoTimeout(5_000);
        return s;
    }

    @Test
    void forwardsRequestsAndAnswersByteForByteOnOneKeptAliveUpstreamConnection() throws Exception {
        String first = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";
        String second = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\n\r\n{}";
        upstream(List.of(Answer.of(first), Answer.of(second)));
        try (Socket c = client()) {
            byte[] one = post("{\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}");
            c.getOutputStream().write(one);
            assertEquals(first, new String(c.getInputStream().readNBytes(first.length()), StandardCharsets.ISO_8859_1));
            assertArrayEquals(one, requestsSeen.poll(5, TimeUnit.SECONDS));
            byte[] two = post("{}");
            c.getOutputStream().write(two);
            assertEquals(second, new String(c.getInputStream().readNBytes(second.length()), StandardCharsets.ISO_8859_1));
            assertArrayEquals(two, requestsSeen.poll(5, TimeUnit.SECONDS));
        }
        assertEquals(1, upstreamConnections.get());
    }

    @Test
    void relaysEachChunkOfAStreamAsItArrives() throws Exception {
        CountDownLatch clientSawFirstEvent = new CountDownLatch(1);
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        String event1 = "f\r\ndata: {\"a\":1}\n\n\r\n";
        String rest = "e\r\ndata: [DONE]\n\n\r\n0\r\nx-trailer: 1\r\n\r\n";
        // The upstream sends the second event only after the client has seen the first: a relay that buffered the
        // answer would deadlock here and the read would time out.
        upstream(List.of(new Answer(List.of(head + event1, rest), clientSawFirstEvent, false)));
        try (Socket c = client()) {
            c.getOutputStream().write(post("{\"stream\":true}"));
            InputStream in = c.getInputStream();
            String got = new String(in.readNBytes(head.length() + event1.length()), StandardCharsets.ISO_8859_1);
            assertEquals(head + event1, got);
            clientSawFirstEvent.countDown();
            assertEquals(rest, new String(in.readNBytes(rest.length()), StandardCharsets.ISO_8859_1));
            // The connection is still usable: the relay found the end of the chunked body.
            assertNotNull(requestsSeen.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAnswerWithoutLengthRunsToTheEndOfTheConnection() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end";
        upstream(List.of(new Answer(List.of(answer), null, true)));
        try (Socket c = client()) {
            c.getOutputStream().write(post("{}"));
            c.getOutputStream().flush();
            byte[] all = c.getInputStream().readAllBytes(); // the relay closes the client side after it
            assertEquals(answer, new String(all, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void anOversizedHeadClosesTheConnectionWithoutForwarding() throws Exception {
        upstream(List.of(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
        try (Socket c = client()) {
            try {
                c.getOutputStream().write(("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(-1, c.getInputStream().read());
            } catch (SocketException closed) {
                // reset: the relay closed with our bytes unread, which is also a refusal
            }
        }
        assertTrue(requestsSeen.isEmpty());
    }
}
