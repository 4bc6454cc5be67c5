package dev.warden.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.surface.SurfaceHandler;
import dev.warden.gateway.testing.GatewayTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The API listener on the wire, with a raw socket: keep-alive, both body framings, {@code 100 Continue}, streams in
 * chunked coding, and requests that must be refused (and how the connection ends after them).
 */
class ApiListenerTest extends GatewayTestSupport {
    @Autowired
    private SurfaceHandler handler;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    @BeforeEach
    void connect() throws IOException {
        socket = new Socket("127.0.0.1", apiListener.port());
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    @AfterEach
    void disconnect() throws IOException {
        socket.close();
    }

    @Test
    void servesRequestsOneAfterAnotherOnOneConnection() throws IOException {
        for (String text : new String[] {"first", "second", "third"}) {
            send(request("/v1/chat/completions", chat("demo", text, false)));
            Answer answer = read();

            assertThat(answer.status).isEqualTo(200);
            assertThat(answer.headers).containsKeys("x-request-id", "x-warden-overhead-ms");
            assertThat(answer.body).contains("\"chat.completion\"").contains(text);
        }
    }

    @Test
    void comesBackAfterAStopAndStart() throws IOException {
        socket.close();
        apiListener.stop(); // what Spring does to a context it pauses, and to every context on close

        apiListener.start();

        connect();
        send(request("/v1/chat/completions", chat("demo", "after a restart", false)));
        assertThat(read().body).contains("after a restart");
    }

    @Test
    void aPortAlreadyInUseStopsTheStartWithAMessageNamingIt() {
        WardenProperties.Listener taken = new WardenProperties.Listener(apiListener.port(), "127.0.0.1", 10, 0,
                Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(1));
        ApiListener second = new ApiListener(taken, handler, 65536);

        assertThatThrownBy(second::start).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("warden.listener: cannot listen on 127.0.0.1:" + apiListener.port());
        assertThat(second.isRunning()).isFalse();
    }

    @Test
    void readsAChunkedRequestBody() throws IOException {
        byte[] body = chat("demo", "sent in chunks", false).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += 7) {
            int n = Math.min(7, body.length - i);
            chunked.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(body, i, n);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        send(chunked.toByteArray());

        Answer answer = read();

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body).contains("sent in chunks");
        send(request("/v1/chat/completions", chat("demo", "after the chunked one", false)));
        assertThat(read().body).contains("after the chunked one");
    }

    @Test
    void sendsContinueOnlyWhenTheBodyIsWanted() throws IOException {
        byte[] body = chat("demo", "expecting", false).getBytes(StandardCharsets.UTF_8);
        send(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(read().status).isEqualTo(100);
        send(body);
        assertThat(read().body).contains("expecting");
    }

    @Test
    void refusesADeclaredBodyOverTheLimitWithoutReadingItAndCloses() throws IOException {
        send(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                + "\r\nExpect: 100-continue\r\nContent-Length: 20000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        Answer answer = read();

        assertThat(answer.status).isEqualTo(413); // not 100: the client never sends the 20 MB
        assertThat(answer.body).contains("request_too_large").contains("at most");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void streamsEventsInChunkedCodingAndKeepsTheConnection() throws IOException {
        send(request("/v1/chat/completions", chat("demo", "stream me", true)));

        Answer answer = read();

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.headers.get("transfer-encoding")).isEqualTo("chunked");
        assertThat(answer.headers.get("content-type")).startsWith("text/event-stream");
        assertThat(answer.body).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
        send(request("/v1/chat/completions", chat("demo", "then plain", false)));
        assertThat(read().body).contains("then plain");
    }

    @Test
    void answersAnthropicAndModelListsToo() throws IOException {
        send(request("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":50,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi claude\"}]}"));
        Answer message = read();
        send(("GET /v1/models HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Answer models = read();
        send(("GET /v1/models/demo HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Answer one = read();

        assertThat(message.status).isEqualTo(200);
        assertThat(message.body).contains("\"type\":\"message\"");
        assertThat(models.body).contains("\"object\":\"list\"").contains("\"id\":\"demo\"");
        assertThat(one.body).contains("\"id\":\"demo\"");
    }

    @Test
    void anInvalidKeyIsRefusedInTheCallersProtocol() throws IOException {
        send(request("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key: wk-not-a-key"));

        Answer answer = read();

        assertThat(answer.status).isEqualTo(401);
        assertThat(answer.body).contains("\"type\":\"error\"").contains("authentication_error");
    }

    @Test
    void everythingButTheLlmApiIsNotFoundHere() throws IOException {
        send(("GET /admin/api/keys HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Answer admin = read();
        send(("GET /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Answer wrongMethod = read();
        send(("GET /anthropic/v1/nothing HTTP/1.1\r\nHost: gw\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Answer anthropic = read();

        assertThat(admin.status).isEqualTo(404);
        assertThat(admin.body).contains("not_found").contains("main port");
        assertThat(wrongMethod.status).isEqualTo(405);
        assertThat(wrongMethod.headers.get("allow")).isEqualTo("POST");
        assertThat(anthropic.status).isEqualTo(404);
        assertThat(anthropic.body).contains("\"type\":\"error\"");
    }

    @Test
    void refusesAmbiguousFramingAndCloses() throws IOException {
        send(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        Answer answer = read();

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).contains("Transfer-Encoding and Content-Length");
        assertThat(answer.headers.get("connection")).isEqualTo("close");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aBodyThatCannotBeReadIsRefusedInWordsAndTheConnectionClosed() throws IOException {
        // A bad chunk size: what follows it must never be read as the next request (it could be one, smuggled).
        String smuggled = "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\n\r\n";
        send(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + smuggled).getBytes(StandardCharsets.US_ASCII));

        Answer answer = read();

        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body).contains("malformed chunk size").doesNotContain("Exception");
        assertThat(answer.headers.get("connection")).isEqualTo("close");
        assertThat(in.read()).as("no second answer, the connection is closed").isEqualTo(-1);

        // A body cut short by the client's half-close.
        try (Socket fresh = new Socket("127.0.0.1", apiListener.port())) {
            fresh.setSoTimeout(20_000);
            fresh.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer "
                    + key + "\r\nContent-Length: 100\r\n\r\n{\"model\"").getBytes(StandardCharsets.US_ASCII));
            fresh.shutdownOutput();
            Answer cut = read(fresh.getInputStream());

            assertThat(cut.status).isEqualTo(400);
            assertThat(cut.body).contains("the connection ended before the whole body arrived")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void refusesMalformedHeads() throws IOException {
        Map<String, Integer> heads = new LinkedHashMap<>();
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nX-Folded: a\r\n b\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nBad Name: a\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: -3\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: 3, 4\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
        heads.put("POST /v1/chat/completions HTTP/2.0\r\nHost: gw\r\n\r\n", 505);
        heads.put("POST http://evil/v1/chat/completions HTTP/1.1\r\nHost: gw\r\n\r\n", 400);
        heads.put("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n", 431);
        for (var head : heads.entrySet()) {
            try (Socket fresh = new Socket("127.0.0.1", apiListener.port())) {
                fresh.setSoTimeout(20_000);
                fresh.getOutputStream().write(head.getKey().getBytes(StandardCharsets.ISO_8859_1));
                Answer answer = read(fresh.getInputStream());

                assertThat(answer.status).as(head.getKey().substring(0, Math.min(80, head.getKey().length())))
                        .isEqualTo(head.getValue());
                assertThat(answer.body).contains("\"error\"").doesNotContain("Exception");
                assertThat(fresh.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void answersHttp10AndCloses() throws IOException {
        byte[] body = chat("demo", "old client", false).getBytes(StandardCharsets.UTF_8);
        send(("POST /v1/chat/completions HTTP/1.0\r\nAuthorization: Bearer " + key + "\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        send(body);

        Answer answer = read();

        assertThat(answer.version).isEqualTo("HTTP/1.0");
        assertThat(answer.body).contains("old client");
        assertThat(in.read()).isEqualTo(-1);
    }

    private byte[] request(String path, String json, String... extraHeaders) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: gw\r\n");
        if (extraHeaders.length == 0) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + body.length);
        System.arraycopy(body, 0, all, bytes.length, body.length);
        return all;
    }

    private void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private Answer read() throws IOException {
        return read(in);
    }

    /** One response: status line, headers, and the body by Content-Length or chunked coding (none for 1xx). */
    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(parts[1]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status >= 200) {
            if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    assertThat(line(in)).isEmpty();
                }
                assertThat(line(in)).isEmpty();
            } else if (headers.containsKey("content-length")) {
                body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else {
                body.writeBytes(in.readAllBytes());
            }
        }
        return new Answer(parts[0], status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private record Answer(String version, int status, Map<String, String> headers, String body) {
    }
}
