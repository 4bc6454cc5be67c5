package dev.warden.gateway.listener;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.surface.SurfaceHandler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Starts the {@link ApiListener} when {@code warden.listener.port} is set. */
@Configuration(proxyBeanMethods = false)
public class ListenerConfiguration {
    @Bean
    @ConditionalOnProperty("warden.listener.port")
    ApiListener apiListener(WardenProperties properties, SurfaceHandler handler, MeterRegistry meters,
                            @Value("${server.max-http-request-header-size:64KB}") DataSize maxHead) {
        // The same cap on a request head as the main port's.
        ApiListener listener = new ApiListener(properties.listener(), handler, (int) Math.min(1 << 20,
                maxHead.toBytes()));
        Gauge.builder("warden.listener.connections", listener, ApiListener::connections)
                .description("Connections open on the API listener").register(meters);
        FunctionCounter.builder("warden.listener.refused", listener, ApiListener::refused)
                .description("Connections the API listener refused at warden.listener.max-connections")
                .register(meters);
        return listener;
    }
}
