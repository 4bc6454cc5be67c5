package dev.warden.sso.web;

import static dev.warden.sso.web.LoginPageFilter.Html.escape;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code GET /login}: one link per configured sign-in method. Spring's generated page knows nothing of our SAML SP,
 * and this page says nothing about why a login failed (details go to the audit ledger, not to the browser).
 */
public final class LoginPageFilter extends OncePerRequestFilter {

    private final Map<String, String> oidcProviders;
    private final @org.jspecify.annotations.Nullable String samlDisplayName;

    /**
     * @param oidcProviders registration id → display name
     * @param samlDisplayName null when SAML is off
     */
    public LoginPageFilter(Map<String, String> oidcProviders, @org.jspecify.annotations.Nullable String samlDisplayName) {
        this.oidcProviders = Map.copyOf(oidcProviders);
        this.samlDisplayName = samlDisplayName;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"GET".equals(request.getMethod()) || !"/login".equals(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()))) {
            chain.doFilter(request, response);
            return;
        }
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Warden sign-in</title></head>
                <body><h1>Sign in to Warden</h1>
                """);
        if (request.getParameter("error") != null) {
            html.append("<p role=\"alert\">Sign-in failed. Ask your administrator if this persists.</p>\n");
        }
        if (request.getParameter("logout") != null) {
            html.append("<p>You are signed out.</p>\n");
        }
        html.append("<ul>\n");
        oidcProviders.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> html
                .append("<li><a href=\"").append(escape(request.getContextPath() + "/oauth2/authorization/" + e.getKey()))
                .append("\">").append(escape(e.getValue())).append("</a></li>\n"));
        if (samlDisplayName != null) {
            html.append("<li><a href=\"").append(escape(request.getContextPath() + "/saml/login")).append("\">")
                    .append(escape(samlDisplayName)).append("</a></li>\n");
        }
        html.append("</ul></body></html>\n");
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(html.toString().getBytes(StandardCharsets.UTF_8));
    }

    static final class Html {
        static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
