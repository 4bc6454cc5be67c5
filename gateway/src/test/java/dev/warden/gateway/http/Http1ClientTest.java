package dev.warden.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream HTTP/1.1 client against servers that answer byte for byte what a test scripts. */
class Http1ClientTest {
    private final Watchdog watchdog = new Watchdog();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        watchdog.close();
    }

    @Test
    void sendsTheRequestAndReusesTheConnectionForTheNextOne() throws Exception {
        ScriptedServer server = server(request -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 11\r\n\r\n{\"ok\":true}");
        Http1Client client = client(SSLContext.getDefault());

        for (int i = 0; i < 3; i++) {
            HttpResponse<InputStream> response = client.send(post(server.uri("/v1/chat?x=1"), "{\"n\":" + i + "}"),
                    Duration.ofSeconds(2));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        }
        assertThat(server.connections.get()).as("one keep-alive connection for all three").isEqualTo(1);
        String first = server.requests.get(0);
        assertThat(first).startsWith("POST /v1/chat?x=1 HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:" + server.port())
                .contains("\r\nAuthorization: Bearer sk-test\r\n").contains("\r\nContent-Length: 7\r\n")
                .endsWith("\r\n\r\n{\"n\":0}");
    }

    @Test
    void concurrentRequestsShareThePoolAndAtMostMaxIdleConnectionsStayOpen() throws Exception {
        ScriptedServer server = server(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Http1Client client = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(4), 3, SSLContext.getDefault(),
                watchdog);
        closing.add(client);
        AtomicInteger answered = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            callers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 25; i++) {
                    try {
                        HttpResponse<InputStream> response = client.send(post(server.uri("/v1/x"), "{}"),
                                Duration.ofSeconds(5));
                        if (new String(response.body().readAllBytes(), StandardCharsets.UTF_8).equals("ok")) {
                            answered.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join(30_000);
        }

        assertThat(answered.get()).isEqualTo(16 * 25);
        assertThat(server.connections.get()).as("connections are reused").isLessThan(16 * 25);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connections.get() - server.closedByClient.get() > 3 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the client closes what it evicts; the server sees the end a moment later
        }
        assertThat(server.connections.get() - server.closedByClient.get()).as("left open: at most max idle")
                .isLessThanOrEqualTo(3);

        int opened = server.connections.get();
        client.send(post(server.uri("/v1/x"), "{}"), Duration.ofSeconds(5)).body().readAllBytes();
        assertThat(server.connections.get()).as("a pooled connection served the next request").isEqualTo(opened);
    }

    @Test
    void readsChunkedBodiesAndBodiesThatEndWithTheConnection() throws Exception {
        ScriptedServer chunked = server(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
        ScriptedServer untilClose = server(request -> "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ndata: a\n\ndata: b\n\n");
        Http1Client client = client(SSLContext.getDefault());

        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> response = client.send(post(chunked.uri("/"), "{}"), Duration.ofSeconds(2));
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello, world");
        }
        assertThat(chunked.connections.get()).as("a chunked body read to its end frees the connection").isEqualTo(1);

        HttpResponse<InputStream> response = client.send(post(untilClose.uri("/"), "{}"), Duration.ofSeconds(2));
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("data: a\n\ndata: b\n\n");
    }

    @Test
    void aBodyClosedEarlyClosesItsConnection() throws Exception {
        ScriptedServer server = server(request -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        Http1Client client = client(SSLContext.getDefault());

        HttpResponse<InputStream> first = client.send(post(server.uri("/"), "{}"), Duration.ofSeconds(2));
        assertThat(first.body().read()).isEqualTo('0');
        first.body().close();
        HttpResponse<InputStream> second = client.send(post(server.uri("/"), "{}"), Duration.ofSeconds(2));
        assertThat(second.body().readAllBytes()).hasSize(10);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedWithoutFailingTheRequest() throws Exception {
        // The server answers, then closes the connection although it did not say "Connection: close".
        ScriptedServer server = server(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        server.closeAfterEachAnswer = true;
        Http1Client client = client(SSLContext.getDefault());

        for (int i = 0; i < 3; i++) {
            HttpResponse<InputStream> response = client.send(post(server.uri("/"), "{}"), Duration.ofSeconds(2));
            assertThat(response.body().readAllBytes()).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(50); // let the close arrive
        }
        assertThat(server.requests).as("each request reached the server exactly once").hasSize(3);
    }

    @Test
    void interimAnswersAreSkippedAndHeadersAreCaseInsensitive() throws Exception {
        ScriptedServer server = server(request -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\n"
                + "retry-after: 3\r\nRetry-After: 4\r\ncontent-length: 0\r\n\r\n");
        HttpResponse<InputStream> response = client(SSLContext.getDefault())
                .send(post(server.uri("/"), "{}"), Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().allValues("RETRY-AFTER")).containsExactly("3", "4");
        assertThat(response.body().read()).isEqualTo(-1);
    }

    @Test
    void noHeadersInTimeIsATimeoutAndGarbageIsAProtocolError() throws Exception {
        ScriptedServer silent = server(request -> null);
        ScriptedServer garbage = server(request -> "SSH-2.0-OpenSSH\r\n\r\n");
        Http1Client client = client(SSLContext.getDefault());

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(post(silent.uri("/"), "{}"), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThatThrownBy(() -> client.send(post(garbage.uri("/"), "{}"), Duration.ofSeconds(2)))
                .isInstanceOf(java.net.ProtocolException.class).hasMessageContaining("not an HTTP/1.x status line");
        assertThatThrownBy(() -> client.send(post(URI.create("http://127.0.0.1:1/"), "{}"), Duration.ofSeconds(2)))
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void aTlsHandshakeThatNeverCompletesIsAConnectTimeout() throws Exception {
        ScriptedServer silent = server(request -> null); // accepts, reads, never answers the ClientHello
        Http1Client client = new Http1Client(Duration.ofMillis(300), Duration.ofSeconds(4), 8,
                SSLContext.getDefault(), watchdog);
        closing.add(client);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(post(URI.create("https://127.0.0.1:" + silent.port() + "/"), "{}"),
                Duration.ofSeconds(10)))
                .isInstanceOf(java.net.http.HttpConnectTimeoutException.class).hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void tlsVerifiesTheCertificateAndTheHostName(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        closing.add(() -> server.stop(0));
        int port = server.getAddress().getPort();

        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
        Http1Client client = client(trusting);

        HttpResponse<InputStream> response = client.send(post(URI.create("https://localhost:" + port + "/echo"),
                "{\"tls\":1}"), Duration.ofSeconds(5));
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"tls\":1}");
        assertThat(response.sslSession()).isPresent();

        assertThatThrownBy(() -> client(SSLContext.getDefault()).send(post(URI.create("https://localhost:" + port
                + "/"), "{}"), Duration.ofSeconds(5)))
                .as("a certificate nobody vouches for is refused").isInstanceOf(SSLHandshakeException.class);
    }

    private Http1Client client(SSLContext tls) {
        Http1Client client = new Http1Client(Duration.ofSeconds(2), Duration.ofSeconds(4), 8, tls, watchdog);
        closing.add(client);
        return client;
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer sk-test")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private ScriptedServer server(Function<String, String> answer) throws IOException {
        ScriptedServer server = new ScriptedServer(answer);
        closing.add(server);
        return server;
    }

    /** Reads requests (head + Content-Length body) and writes the scripted answer; null answers never. */
    static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closedByClient = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile boolean closeAfterEachAnswer;
        private final Function<String, String> answer;

        ScriptedServer(Function<String, String> answer) throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.answer = answer;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port() + path);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        closedByClient.incrementAndGet();
                        return;
                    }
                    requests.add(request);
                    String reply = answer.apply(request);
                    if (reply == null) {
                        Thread.sleep(10_000);
                        return;
                    }
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (closeAfterEachAnswer || reply.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    int length = 0;
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
