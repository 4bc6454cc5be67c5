package dev.warden.sso.web;

import static dev.warden.sso.web.LoginPageFilter.Html.escape;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code GET /login}: one link per configured sign-in method, and, when the admin token may open the console, a form
 * that posts it to {@link AdminTokenSignInFilter#PATH}. Spring's generated page knows nothing of our SAML SP, and this
 * page says nothing about why a login failed (details go to the audit ledger, not to the browser).
 *
 * <p>The page is static HTML with no script or style, so it runs under the strictest Content Security Policy; it sends
 * one itself. Elements have stable ids for browser tests: {@code #login-oidc-<registration id>}, {@code #login-saml},
 * {@code #admin-token-form}, {@code #admin-token}, {@code #admin-token-submit}, {@code #login-error}.
 */
public final class LoginPageFilter extends OncePerRequestFilter {

    // No script, style, image or frame is needed; the form posts to this origin and nobody may frame the page.
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, String> oidcProviders;
    private final @Nullable String samlDisplayName;
    private final boolean adminTokenSignIn;

    /**
     * @param oidcProviders registration id → display name
     * @param samlDisplayName null when SAML is off
     * @param adminTokenSignIn whether to show the admin token form (see
     *     {@code warden.sso.admin-token.console-sign-in})
     */
    public LoginPageFilter(Map<String, String> oidcProviders, @Nullable String samlDisplayName,
            boolean adminTokenSignIn) {
        this.oidcProviders = Map.copyOf(oidcProviders);
        this.samlDisplayName = samlDisplayName;
        this.adminTokenSignIn = adminTokenSignIn;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"GET".equals(request.getMethod()) || !"/login".equals(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()))) {
            chain.doFilter(request, response);
            return;
        }
        String context = request.getContextPath();
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Warden sign-in</title></head>
                <body><h1>Sign in to Warden</h1>
                """);
        if (request.getParameter("error") != null) {
            html.append("<p role=\"alert\" id=\"login-error\">Sign-in failed. Ask your administrator if this persists.</p>\n");
        }
        if (request.getParameter("logout") != null) {
            html.append("<p id=\"login-signed-out\">You are signed out.</p>\n");
        }
        if (!oidcProviders.isEmpty() || samlDisplayName != null) {
            html.append("<ul>\n");
            oidcProviders.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> html
                    .append("<li><a id=\"").append(escape("login-oidc-" + e.getKey())).append("\" href=\"")
                    .append(escape(context + "/oauth2/authorization/" + e.getKey())).append("\">")
                    .append(escape(e.getValue())).append("</a></li>\n"));
            if (samlDisplayName != null) {
                html.append("<li><a id=\"login-saml\" href=\"").append(escape(context + "/saml/login")).append("\">")
                        .append(escape(samlDisplayName)).append("</a></li>\n");
            }
            html.append("</ul>\n");
        }
        if (adminTokenSignIn) {
            html.append("<form id=\"admin-token-form\" method=\"post\" action=\"")
                    .append(escape(context + AdminTokenSignInFilter.PATH)).append("\">\n")
                    .append("<h2>Sign in with the admin token</h2>\n")
                    .append("<p><label for=\"admin-token\">Admin token</label>\n")
                    .append("<input type=\"password\" id=\"admin-token\" name=\"")
                    .append(AdminTokenSignInFilter.TOKEN_PARAMETER)
                    .append("\" autocomplete=\"off\" required></p>\n");
            // The CSRF filter ran before this one; without its token the post would be refused.
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf) {
                html.append("<input type=\"hidden\" name=\"").append(escape(csrf.getParameterName()))
                        .append("\" value=\"").append(escape(csrf.getToken())).append("\">\n");
            }
            html.append("<p><button type=\"submit\" id=\"admin-token-submit\">Sign in</button></p>\n</form>\n");
        }
        html.append("</body></html>\n");
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getOutputStream().write(html.toString().getBytes(StandardCharsets.UTF_8));
    }

    static final class Html {
        static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                    .replace("'", "&#39;");
        }
    }
}
