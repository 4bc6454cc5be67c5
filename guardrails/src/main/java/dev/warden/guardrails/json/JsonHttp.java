package dev.warden.guardrails.json;

import dev.warden.guardrails.GuardrailException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs a JSON body with the JDK HTTP client and reads a JSON object back, turning every failure into a
 * {@link GuardrailException} that names the vendor, the HTTP status and the vendor's error code, and never the
 * credentials or the inspected text (vendor error messages can echo input, so only their code is kept).
 */
public final class JsonHttp {

    private JsonHttp() {}

    /** A shared client: HTTP/1.1 and 2, connect timeout bounded, no redirects (a redirect would resend the key). */
    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends the request and parses the answer.
     *
     * @param headers extra headers, for example the credential; never logged
     */
    public static Map<String, Object> post(HttpClient client, String vendor, URI uri, Map<String, String> headers,
            Map<String, Object> body, Duration timeout) throws GuardrailException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new GuardrailException(vendor + ": no answer within " + timeout.toMillis() + "ms", 0, false, null);
        } catch (IOException e) {
            throw new GuardrailException(vendor + ": " + e.getClass().getSimpleName() + " calling " + uri.getHost(),
                    0, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardrailException(vendor + ": interrupted", 0, false, null);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String code = errorCode(response.body());
            String retryAfter = response.headers().firstValue("Retry-After").map(v -> ", retry after " + v + "s")
                    .orElse("");
            throw new GuardrailException(vendor + ": HTTP " + status + (code == null ? "" : " " + code) + retryAfter,
                    status, status == 429, null);
        }
        try {
            return Json.parseObject(response.body());
        } catch (IllegalArgumentException e) {
            throw new GuardrailException(vendor + ": unreadable answer (" + e.getMessage() + ")", status, false, null);
        }
    }

    /** The vendor's error code from {@code {"error":{"code":...}}} or {@code {"code":...}}, if short and plain. */
    private static @org.jspecify.annotations.Nullable String errorCode(String body) {
        try {
            Map<String, Object> m = Json.parseObject(body);
            Map<String, Object> error = Json.object(m, "error");
            String code = Json.string(error != null ? error : m, "code");
            if (code == null && m.get("error") instanceof String s) {
                code = s;
            }
            if (code == null) {
                code = Json.string(m, "detail") != null ? "detail" : null;
            }
            return code != null && code.length() <= 64 && code.chars().allMatch(c -> c > 32 && c < 127) ? code : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
