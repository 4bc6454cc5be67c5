package dev.warden.gateway.http;

import dev.warden.gateway.config.WardenProperties;
import java.net.http.HttpClient;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/** The HTTP client shared by provider adapters, and the watchdog that ends idle upstream reads. */
@Component
public class UpstreamHttp implements AutoCloseable {
    private final HttpClient client;
    private final Watchdog watchdog = new Watchdog();

    public UpstreamHttp(WardenProperties properties) {
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

    @Override
    public void close() {
        watchdog.close();
        client.close();
    }
}
