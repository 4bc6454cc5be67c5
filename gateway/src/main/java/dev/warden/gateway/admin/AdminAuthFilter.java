package dev.warden.gateway.admin;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.ErrorBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /admin/api/**} with the bootstrap admin token ({@code Authorization: Bearer <token>}), compared in
 * constant time against its hash. Every use is reported to the {@link AdminAudit} (break-glass access is recorded).
 */
@Configuration(proxyBeanMethods = false)
public class AdminAuthFilter {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> adminTokenFilter(AdminToken token, AdminAudit audit) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                String header = request.getHeader("authorization");
                String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? header.substring(7).strip() : null;
                if (!token.enabled() || !token.matches(presented)) {
                    audit.denied(request.getRemoteAddr(), request.getMethod() + " " + request.getRequestURI());
                    byte[] body = ErrorBodies.bytes(Surface.Protocol.OPENAI, ErrorKind.AUTHENTICATION,
                            token.enabled() ? "admin API: missing or wrong admin token"
                                    : "admin API: token access is disabled; sign in through SSO", null);
                    response.setStatus(401);
                    response.setContentType("application/json");
                    response.getOutputStream().write(body);
                    return;
                }
                request.setAttribute(AdminAudit.ACTOR, "admin-token");
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/admin/api/*");
        registration.setName("wardenAdminToken");
        return registration;
    }
}
