package dev.warden.sso.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in page and the token form post over a plain HTTP client against a real server, for the tests that need
 * Tomcat rather than MockMvc. Cookies are carried by hand: the test app marks them Secure, which a client's cookie
 * store would not send over http.
 */
final class TokenSignInOverHttp {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;

    TokenSignInOverHttp(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    HttpResponse<String> signInPage() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code token} to {@code /login/token} with a valid CSRF token (cookie and header, as a script would). */
    HttpResponse<String> postToken(String token) throws IOException, InterruptedException {
        String xsrf = signInPage().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst()
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';')))
                .orElseThrow(() -> new AssertionError("GET /login set no XSRF-TOKEN cookie"));
        return http.send(HttpRequest.newBuilder(base.resolve("/login/token"))
                .header("Cookie", "XSRF-TOKEN=" + xsrf).header("X-XSRF-TOKEN", xsrf)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
