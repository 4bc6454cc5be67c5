package dev.warden.gateway.providers;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP steps every JSON-over-HTTP adapter repeats: build a POST with forwarded and configured headers, send it
 * mapping transport failures to {@link UpstreamException}, turn a non-2xx answer into a status failure, read a
 * bounded JSON body. The adapter adds its own authentication headers and URL.
 */
public final class ProviderHttp {
    public static final int MAX_BODY = 64 * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UpstreamHttp http;

    public ProviderHttp(UpstreamHttp http) {
        this.http = http;
    }

    public UpstreamHttp http() {
        return http;
    }

    /**
     * A POST of {@code body} as JSON. Forwarded caller headers go first, minus those whose prefix belongs to
     * another provider's protocol (an {@code anthropic-beta} means nothing to Gemini); configured headers override.
     */
    public HttpRequest.Builder post(UpstreamCall call, URI uri, JsonNode body, boolean stream,
                                    Set<String> droppedPrefixes) {
        return post(call, uri, JSON.writeValueAsBytes(body), stream, droppedPrefixes);
    }

    /** As above, with the body already serialized (when a signature covers its exact bytes). */
    public HttpRequest.Builder post(UpstreamCall call, URI uri, byte[] body, boolean stream,
                                    Set<String> droppedPrefixes) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> header : call.forwardHeaders().entrySet()) {
            if (droppedPrefixes.stream().noneMatch(header.getKey()::startsWith)) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        call.endpoint().headers().forEach(builder::setHeader);
        builder.setHeader("content-type", "application/json");
        builder.setHeader("accept", stream ? "text/event-stream" : "application/json");
        builder.setHeader("accept-encoding", "identity");
        return builder;
    }

    /** Sends, and fails with the provider's status if it is not 2xx. */
    public HttpResponse<InputStream> send(UpstreamCall call, HttpRequest request) throws UpstreamException {
        String name = call.endpoint().name();
        long sent = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, call.timeout());
        } catch (HttpConnectTimeoutException e) {
            throw UpstreamException.connect("connect timeout to " + name);
        } catch (HttpTimeoutException e) {
            throw UpstreamException.timeout("no response from " + name + " within " + call.timeout().toSeconds()
                    + "s");
        } catch (ConnectException e) {
            throw UpstreamException.connect("cannot connect to " + name);
        } catch (IOException e) {
            throw UpstreamException.connect("connection to " + name + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.connect("interrupted while calling " + name);
        } finally {
            call.exchange().addUpstreamNanos(System.nanoTime() - sent);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            long reading = System.nanoTime();
            byte[] error = UpstreamResponses.readBounded(response, 64 * 1024, http.watchdog(),
                    call.idleTimeout());
            call.exchange().addUpstreamNanos(System.nanoTime() - reading);
            UpstreamException failure = UpstreamResponses.statusFailure(call, status, response.headers(), error);
            Duration retryDelay = failure.retryAfter() == null ? googleRetryDelay(error) : null;
            if (retryDelay != null) {
                failure = new UpstreamException(failure.failure(), status, failure.getMessage(), retryDelay,
                        failure.providerMessage());
            }
            throw failure;
        }
        return response;
    }

    /** Google APIs put the retry hint in the body: {@code error.details[] RetryInfo.retryDelay}, e.g. "17s". */
    static @Nullable Duration googleRetryDelay(byte[] body) {
        try {
            for (JsonNode detail : JSON.readTree(body).path("error").path("details")) {
                String delay = detail.path("retryDelay").asString("");
                if (delay.endsWith("s")) {
                    return Duration.ofMillis((long) (Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000));
                }
            }
        } catch (JacksonException | NumberFormatException ignored) {
            // no usable hint
        }
        return null;
    }

    /** Reads the whole (bounded) body as JSON. */
    public JsonNode readJson(UpstreamCall call, HttpResponse<InputStream> response) throws UpstreamException {
        long reading = System.nanoTime();
        byte[] bytes = UpstreamResponses.readAnswer(response, MAX_BODY, http.watchdog(), call);
        call.exchange().addUpstreamNanos(System.nanoTime() - reading);
        try {
            return JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw UpstreamException.protocol(call.endpoint().name() + " answered with a body that is not JSON");
        }
    }

    /**
     * The provider's events through a tap, with the first one already read, so that a stream which breaks, stalls or
     * ends before its first event fails over like any other failed attempt.
     */
    public TappedEventStream firstEventRead(UpstreamCall call, HttpResponse<InputStream> response,
                                            Predicate<SseEvent> tap) throws UpstreamException {
        UpstreamEventStream raw = events(call, response);
        TappedEventStream tapped = new TappedEventStream(raw, tap);
        String name = call.endpoint().name();
        long reading = System.nanoTime();
        try {
            if (!tapped.prime()) {
                tapped.close();
                throw UpstreamException.protocol(name + " ended the stream without an event");
            }
        } catch (IOException e) {
            tapped.close();
            throw raw.expired()
                    ? UpstreamException.timeout(name + " sent no event within " + call.idleTimeout().toSeconds() + "s")
                    : UpstreamException.connect(name + " broke the stream before the first event");
        } finally {
            call.exchange().addUpstreamNanos(System.nanoTime() - reading);
        }
        return tapped;
    }

    /** The provider's raw event stream, watched for idleness. */
    public UpstreamEventStream events(UpstreamCall call, HttpResponse<InputStream> response) {
        return new UpstreamEventStream(response.body(), http.watchdog(), call.idleTimeout());
    }
}
