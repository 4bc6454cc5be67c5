package dev.warden.gateway.http;

import dev.warden.gateway.config.WardenProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The HTTP client shared by provider adapters ({@link Http1Client} unless {@code warden.upstream.client=jdk}), and
 * the watchdog that ends idle upstream reads.
 */
@Component
public class UpstreamHttp implements AutoCloseable {
    private final HttpClient client;
    private final Watchdog watchdog = new Watchdog();
    private final @Nullable Http1Client http1;

    public UpstreamHttp(WardenProperties properties) {
        WardenProperties.Upstream upstream = properties.upstream();
        if (upstream == null || "builtin".equals(upstream.client())) {
            try {
                this.http1 = new Http1Client(properties.limits().connectTimeout(),
                        upstream == null ? Duration.ofSeconds(4) : upstream.idleTimeout(),
                        upstream == null ? 256 : upstream.maxIdlePerOrigin(), SSLContext.getDefault(), watchdog);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        } else {
            this.http1 = null;
        }
        this.client = HttpClient.newBuilder()
                // HTTP/1.1 keeps plain-text upstreams (vLLM, Ollama, proxies) free of h2c upgrade surprises;
                // TLS upstreams still negotiate what they support.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.limits().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public HttpClient client() {
        return client;
    }

    public Watchdog watchdog() {
        return watchdog;
    }

    /**
     * Sends and waits for the response headers, at most {@code timeout}. The deadline is kept by the shared
     * watchdog (which cancels the exchange) rather than {@code HttpRequest.timeout}, whose per-request timer
     * bookkeeping was the single hottest frame in profiles of the request path.
     */
    public HttpResponse<InputStream> send(HttpRequest request, Duration timeout)
            throws IOException, InterruptedException {
        if (http1 != null) {
            return http1.send(request, timeout);
        }
        CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        Watchdog.Watch watch = watchdog.watch(timeout.toNanos(), () -> future.cancel(true));
        try {
            return future.get();
        } catch (CancellationException e) {
            throw new HttpTimeoutException("no response headers within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (watch.expired()) {
                throw new HttpTimeoutException("no response headers within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "request failed" : cause.getClass().getSimpleName(), cause);
        } finally {
            watch.stop();
        }
    }

    @Override
    public void close() {
        if (http1 != null) {
            http1.close();
        }
        watchdog.close();
        client.close();
    }
}
