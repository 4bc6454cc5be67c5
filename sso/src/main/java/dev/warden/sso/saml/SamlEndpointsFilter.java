package dev.warden.sso.saml;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code GET /saml/metadata} (SP metadata for the IdP administrator) and {@code GET /saml/login?target=/console/...}
 * (redirect to the IdP with a fresh AuthnRequest). The ACS is {@link SamlAuthenticationFilter}.
 */
public final class SamlEndpointsFilter extends OncePerRequestFilter {

    private final SamlServiceProvider serviceProvider;

    public SamlEndpointsFilter(SamlServiceProvider serviceProvider) {
        this.serviceProvider = requireNonNull(serviceProvider, "serviceProvider");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!"GET".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        switch (path) {
            case "/saml/metadata" -> {
                response.setContentType("application/samlmetadata+xml;charset=UTF-8");
                response.getOutputStream().write(serviceProvider.metadataXml().getBytes(StandardCharsets.UTF_8));
            }
            case "/saml/login" -> {
                response.setHeader("Cache-Control", "no-store");
                response.sendRedirect(serviceProvider.authenticationRequestUrl(safeTarget(request.getParameter("target"))));
            }
            default -> chain.doFilter(request, response);
        }
    }

    /**
     * The RelayState comes back from the IdP unsigned, so only a console path is ever used as a redirect target: no
     * scheme, no host, no {@code //} or backslash tricks.
     */
    public static String safeTarget(@Nullable String target) {
        if (target == null || !target.startsWith("/console") || target.contains("//") || target.contains("\\")
                || target.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || target.length() > 512) {
            return "/console";
        }
        return target;
    }
}
