package dev.warden.sso.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The admin API's 401: the RFC 6750 {@code WWW-Authenticate} challenge of {@link BearerTokenAuthenticationEntryPoint}
 * and, so that a script sees why without reading headers, a body in the admin API's JSON error shape
 * ({@code {"error":{"message","type","param","code"}}}, as for every other admin API error).
 */
public final class AdminApiUnauthorized implements AuthenticationEntryPoint {
    private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");
    private final AuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, ServletException {
        challenge.commence(request, response, e);
        if (response.isCommitted()) {
            return;
        }
        String header = response.getHeader("WWW-Authenticate");
        Matcher description = header == null ? null : DESCRIPTION.matcher(header);
        String message = description != null && description.find()
                ? "Not authenticated: " + description.group(1)
                : "Not authenticated: send the admin token or an SSO access token as 'Authorization: Bearer <token>',"
                        + " or sign in to the console";
        byte[] body = ("{\"error\":{\"message\":" + quoted(message) + ",\"type\":\"authentication_error\","
                + "\"param\":null,\"code\":\"unauthorized\"}}").getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
