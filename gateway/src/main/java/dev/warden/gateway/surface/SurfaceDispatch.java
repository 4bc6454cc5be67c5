package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.Surface;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Sends {@code POST}s to the LLM surfaces straight to {@link GatewayEndpoints}, ahead of Spring MVC: no dispatcher,
 * handler lookup, argument resolution or the framework's generic filters, none of which the gateway's own pipeline
 * uses. In profiles at 2,000 req/s that machinery was a sixth of the request threads' CPU. Every other method and
 * path (model lists, 404s and 405s in the caller's protocol, admin API, console) still goes through Spring, and the
 * {@code @PostMapping}s on {@link GatewayEndpoints} stay the reference: {@code SurfaceDispatchTest} checks both list
 * the same paths.
 */
@Configuration(proxyBeanMethods = false)
public class SurfaceDispatch {
    /** Exact paths of the LLM surfaces that take a POST. */
    public static final Map<String, Surface> POST_PATHS = Map.ofEntries(
            Map.entry("/v1/chat/completions", Surface.CHAT_COMPLETIONS),
            Map.entry("/openai/v1/chat/completions", Surface.CHAT_COMPLETIONS),
            Map.entry("/chat/completions", Surface.CHAT_COMPLETIONS),
            Map.entry("/v1/responses", Surface.RESPONSES),
            Map.entry("/openai/v1/responses", Surface.RESPONSES),
            Map.entry("/responses", Surface.RESPONSES),
            Map.entry("/v1/embeddings", Surface.EMBEDDINGS),
            Map.entry("/openai/v1/embeddings", Surface.EMBEDDINGS),
            Map.entry("/embeddings", Surface.EMBEDDINGS),
            Map.entry("/anthropic/v1/messages", Surface.ANTHROPIC_MESSAGES),
            Map.entry("/anthropic/messages", Surface.ANTHROPIC_MESSAGES),
            Map.entry("/anthropic/v1/messages/count_tokens", Surface.ANTHROPIC_COUNT_TOKENS),
            Map.entry("/anthropic/messages/count_tokens", Surface.ANTHROPIC_COUNT_TOKENS));

    @Bean
    FilterRegistrationBean<Filter> surfaceDispatchFilter(GatewayEndpoints endpoints) {
        Filter filter = new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                HttpServletRequest http = (HttpServletRequest) request;
                Surface surface = "POST".equals(http.getMethod()) ? POST_PATHS.get(http.getServletPath()) : null;
                if (surface == null || http.getPathInfo() != null) {
                    chain.doFilter(request, response);
                    return;
                }
                endpoints.serve(surface, http, (HttpServletResponse) response);
            }
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("wardenSurfaceDispatch");
        registration.setUrlPatterns(POST_PATHS.keySet()); // exact patterns: Tomcat runs the filter on nothing else
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
