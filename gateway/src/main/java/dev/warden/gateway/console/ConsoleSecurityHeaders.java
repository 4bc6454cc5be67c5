package dev.warden.gateway.console;

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
 * A strict Content-Security-Policy on every console response: scripts, styles and connections from this origin
 * only, no inline code of any kind, no framing. The console is written for it (no inline scripts, styles or event
 * handlers; data is inserted as text, never as HTML), so an injected string in a key name or an audit entry cannot
 * run even if an escaping mistake slipped through.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityHeaders {

    /** The policy, also asserted by the console's tests. */
    public static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleSecurityHeadersFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                // Set before the chain runs, so redirects and errors written by later filters carry them too.
                response.setHeader("Content-Security-Policy", POLICY);
                response.setHeader("Referrer-Policy", "same-origin");
                response.setHeader("X-Content-Type-Options", "nosniff");
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/console", "/console/*");
        registration.setName("consoleSecurityHeaders");
        return registration;
    }
}
