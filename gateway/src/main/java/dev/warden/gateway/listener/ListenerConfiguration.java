package dev.warden.gateway.listener;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.surface.SurfaceHandler;
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
    ApiListener apiListener(WardenProperties properties, SurfaceHandler handler,
                            @Value("${server.max-http-request-header-size:64KB}") DataSize maxHead) {
        // The same cap on a request head as the main port's.
        return new ApiListener(properties.listener(), handler, (int) Math.min(1 << 20, maxHead.toBytes()));
    }
}
