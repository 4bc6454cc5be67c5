package dev.warden.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.jspecify.annotations.Nullable;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback HTTP(S) server for one backend's wire protocol, which can be stopped and started again on the same
 * port: a stopped server refuses connections, which is what "backend down" looks like to a client.
 */
public final class LocalHttpServer implements AutoCloseable {

    private final HttpHandler handler;
    private final @Nullable SSLContext tls;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private volatile @Nullable HttpServer server;
    private int port;

    public LocalHttpServer(HttpHandler handler, @Nullable SSLContext tls) {
        this.handler = handler;
        this.tls = tls;
        start();
    }

    public int port() {
        return port;
    }

    /** Requests answered since start, all paths. */
    public int requests() {
        return requests.get();
    }

    /** Every answer waits this long first: a backend that accepts connections but does not answer in time. */
    public void delay(Duration d) {
        delay.set(d);
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            HttpServer s;
            if (tls != null) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                s = https;
            } else {
                s = HttpServer.create(address, 0);
            }
            s.createContext("/", exchange -> {
                try (exchange) {
                    Duration d = delay.get();
                    if (!d.isZero()) {
                        Thread.sleep(d);
                    }
                    requests.incrementAndGet();
                    handler.handle(exchange);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | IOException e) {
                    exchange.sendResponseHeaders(500, -1);
                }
            });
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.start();
            port = s.getAddress().getPort();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        HttpServer s = server;
        if (s != null) {
            s.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
