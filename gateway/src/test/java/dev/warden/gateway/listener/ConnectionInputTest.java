package dev.warden.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.gateway.http.Watchdog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side of a connection, over a real loopback socket pair. */
class ConnectionInputTest {
    private ServerSocket server;
    private Socket client;
    private Socket accepted;
    private OutputStream peer;
    private final Watchdog watchdog = new Watchdog();

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted = server.accept();
        peer = client.getOutputStream();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        server.close();
        watchdog.close();
    }

    @Test
    void aHeadDrippedSlowerThanTheDeadlineIsRefusedWith408() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        Thread dripper = Thread.ofVirtual().start(() -> {
            try {
                for (byte b : "POST /v1/chat/completions HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)) {
                    peer.write(b);
                    peer.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException ignored) {
                // the reader gave up and the test closes the socket
            }
        });

        long start = System.nanoTime();
        assertThatThrownBy(() -> input.readHead(5_000, 300)).isInstanceOfSatisfying(RequestHead.Malformed.class,
                e -> assertThat(e.status()).isEqualTo(408));
        accepted.getOutputStream().write("still writable".getBytes(StandardCharsets.US_ASCII)); // for the 408
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000); // far less than the whole drip
        dripper.interrupt();
    }

    @Test
    void anIdleConnectionEndsWithoutAnError() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);

        assertThat(input.readHead(200, 1_000)).isNull();
        assertThat(accepted.isClosed()).isTrue();
    }

    @Test
    void aBodyThatStopsArrivingFailsTheReadAfterTheReadTimeout() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        peer.write("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123".getBytes(StandardCharsets.US_ASCII));

        RequestHead head = input.readHead(1_000, 1_000);
        ConnectionInput.Body body = input.body(head.framing(), () -> { }, 300);
        long start = System.nanoTime();

        assertThatThrownBy(body::readAllBytes).isInstanceOf(java.net.SocketTimeoutException.class)
                .hasMessageContaining("300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void chunkedBodiesEndWhereTheyEndAndTheNextHeadFollows() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        peer.write(("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n"
                + "0\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        RequestHead first = input.readHead(1_000, 1_000);
        ConnectionInput.Body body = input.body(first.framing(), () -> { }, 1_000);
        String text = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
        RequestHead second = input.readHead(1_000, 1_000);

        assertThat(text).isEqualTo("Wikipedia");
        assertThat(body.complete()).isTrue();
        assertThat(second.method()).isEqualTo("GET");
        assertThat(second.path()).isEqualTo("/b");
    }

    @Test
    void aMalformedChunkSizeFailsTheRead() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        peer.write(("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        RequestHead head = input.readHead(1_000, 1_000);
        ConnectionInput.Body body = input.body(head.framing(), () -> { }, 1_000);

        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("chunk size");
    }

    @Test
    void endlessTrailersAreCutOff() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        peer.write(("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n"
                + "X-T: 1\r\n".repeat(500)).getBytes(StandardCharsets.US_ASCII));

        RequestHead head = input.readHead(1_000, 1_000);
        ConnectionInput.Body body = input.body(head.framing(), () -> { }, 1_000);

        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("trailer fields");
    }

    @Test
    void aFixedBodyStopsAtItsLengthAndSkipsWhatTheSurfaceLeft() throws Exception {
        ConnectionInput input = new ConnectionInput(accepted, 65536, watchdog);
        peer.write("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));

        RequestHead head = input.readHead(1_000, 1_000);
        ConnectionInput.Body body = input.body(head.framing(), () -> { }, 1_000);
        byte[] three = body.readNBytes(3);

        assertThat(new String(three, StandardCharsets.US_ASCII)).isEqualTo("012");
        assertThat(body.complete()).isFalse();
        assertThat(body.discard(1024)).isTrue();
        assertThat(input.readHead(1_000, 1_000).path()).isEqualTo("/b");
    }
}
