package dev.warden.gateway.listener;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.http.Watchdog;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import dev.warden.gateway.surface.SurfaceHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A second port that serves only the LLM API (the four surfaces and the model lists), each connection on a thread
 * of its own that reads a request, runs the pipeline and writes the answer on blocking sockets. On the main port
 * Tomcat hands every request from its poller to a virtual thread, and the upstream call parks that thread on the
 * JDK's poller and back. Here a connection's thread reads, runs and answers with no hand-off in between (ADR 0007).
 * Connections run on virtual threads, or the first {@code platform-threads} of them on platform threads, which
 * block in the kernel with no poller at all but cost the collector and the scheduler more when there are hundreds.
 *
 * <p>Plain HTTP/1.1 only: terminate TLS in front (ingress, load balancer or mesh), as for the main port in a VPC.
 */
public final class ApiListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ApiListener.class);
    private static final byte[] FULL = full();

    /** The listener's limits, in the units its sockets take. */
    record Settings(int idleMillis, int readMillis, long writeTimeoutNanos, int maxHeadBytes) {
    }

    private final WardenProperties.Listener config;
    private final SurfaceHandler handler;
    private final Settings settings;
    private volatile @Nullable Watchdog watchdog;
    private final Set<ApiConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger platformInUse = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private volatile @Nullable ServerSocket server;
    private volatile boolean stopping;
    private volatile boolean running;

    public ApiListener(WardenProperties.Listener config, SurfaceHandler handler, int maxHeadBytes) {
        this.config = requireNonNull(config, "config");
        this.handler = requireNonNull(handler, "handler");
        this.settings = new Settings(millis(config.idleTimeout()), millis(config.readTimeout()),
                config.writeTimeout().toNanos(), maxHeadBytes);
    }

    /**
     * Opens the port and starts accepting. Also after a {@link #stop()}: a context may be stopped and started again
     * (Spring's test framework pauses contexts it is not using), and the listener comes back on the same settings.
     */
    @Override
    public void start() {
        Integer port = requireNonNull(config.port(), "warden.listener.port");
        stopping = false;
        if (running) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.address(), port), 1024);
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("warden.listener: cannot listen on " + config.address() + ":" + port
                    + ": " + e.getMessage(), e);
        }
        watchdog = new Watchdog(); // after the bind: a port that cannot be had leaves no sweeper thread behind
        running = true;
        Thread.ofPlatform().name("warden-api-acceptor").daemon().start(this::accept);
        log.info("API listener on {}:{} (LLM API only; {} connections on platform threads, the rest virtual)",
                config.address(), port(), config.platformThreads());
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    public int port() {
        ServerSocket socket = server;
        return socket == null ? -1 : socket.getLocalPort();
    }

    private void accept() {
        ServerSocket socket = requireNonNull(server);
        while (!stopping) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (stopping || socket.isClosed()) {
                    return; // closed by stop()
                }
                // Out of file descriptors, say: keep listening, but do not spin while it lasts.
                log.warn("API listener: accept failed: {}", e.toString());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            if (connections.size() >= config.maxConnections()) {
                refuse(client);
                continue;
            }
            ApiConnection connection = new ApiConnection(client, this, handler, settings);
            connections.add(connection);
            boolean platform = platformInUse.incrementAndGet() <= config.platformThreads();
            if (!platform) {
                platformInUse.decrementAndGet();
            }
            Runnable run = () -> {
                try {
                    connection.run();
                } finally {
                    if (platform) {
                        platformInUse.decrementAndGet();
                    }
                }
            };
            String name = "warden-api-" + sequence.incrementAndGet();
            try {
                if (platform) {
                    Thread.ofPlatform().name(name).daemon().start(run);
                } else {
                    Thread.ofVirtual().name(name).start(run);
                }
            } catch (OutOfMemoryError | RuntimeException e) {
                // No thread to be had: refuse this connection rather than stop accepting.
                connections.remove(connection);
                if (platform) {
                    platformInUse.decrementAndGet();
                }
                log.warn("API listener: no thread for a new connection: {}", e.toString());
                refuse(client);
            }
        }
    }

    private void refuse(Socket client) {
        refused.incrementAndGet();
        try (client) {
            client.setSoTimeout(1000);
            client.getOutputStream().write(FULL);
        } catch (IOException ignored) {
            // it is refused either way
        }
    }

    boolean stopping() {
        return stopping;
    }

    Watchdog watchdog() {
        return requireNonNull(watchdog, "watchdog (the listener is not started)");
    }

    void closed(ApiConnection connection) {
        connections.remove(connection);
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    /** Connections refused since start: at {@code max-connections}, or with no thread to be had. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void stop() {
        stopping = true;
        ServerSocket socket = server;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
        // Idle connections close now; the ones in the middle of a request finish it (its stream included), up to
        // the shutdown timeout, and close after answering.
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            connections.forEach(ApiConnection::closeIfIdle);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!connections.isEmpty()) {
            log.warn("API listener: closing {} connections still busy after {}", connections.size(),
                    config.shutdownTimeout());
            connections.forEach(ApiConnection::close);
        }
        Watchdog dog = watchdog;
        if (dog != null) {
            dog.close();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped with the web server's graceful shutdown, before the ledger and the store close. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    private static byte[] full() {
        byte[] body = ErrorBodies.bytes(Surface.Protocol.OPENAI, ErrorKind.UNAVAILABLE,
                "The gateway holds as many connections as it allows (warden.listener.max-connections); retry shortly",
                null);
        byte[] head = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
