package dev.warden.gateway.providers;

import dev.warden.gateway.http.BoundedBody;
import dev.warden.gateway.http.InflightBodyBudget;
import dev.warden.gateway.http.Watchdog;
import dev.warden.gateway.pipeline.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** Helpers every HTTP provider adapter shares: bounded reads, Retry-After, and provider error messages. */
public final class UpstreamResponses {
    /**
     * Targets already parsed: every request to a provider resolves the same few (base URL and path from configuration),
     * and parsing one was 0.6 % of the gateway's CPU at 5,000 req/s. Bounded, in case paths ever carry request data.
     */
    private static final int MAX_RESOLVED = 1024;
    private static final java.util.concurrent.ConcurrentHashMap<String, URI> RESOLVED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Reads one value from the middle of a body: what follows it is checked by {@link #member}, not here. */
    private static final ObjectReader MEMBER = JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private UpstreamResponses() {
    }

    /**
     * Anthropic's count_tokens answer ({@code {"input_tokens": n}}) from a provider's own count, the whole number
     * {@code field} of its answer; a provider that answers without one made a protocol error ({@code operation} names
     * what was asked for in it).
     */
    public static Reply.Json tokenCount(JsonNode answer, String field, String operation, UpstreamCall call,
                                        Map<String, String> headers) throws UpstreamException {
        JsonNode counted = answer.get(field);
        if (counted == null || !counted.canConvertToLong()) {
            throw UpstreamException.protocol(call.endpoint().name() + ": " + operation + " answered no " + field);
        }
        return new Reply.Json(200, JSON.writeValueAsBytes(JSON.createObjectNode().put("input_tokens",
                counted.asLong())), headers);
    }

    /** Appends a path to a base URL that may or may not end in a slash. */
    public static URI resolve(URI base, String path) {
        String text = base.toString();
        String joined = text.endsWith("/") ? text.substring(0, text.length() - 1) + path : text + path;
        URI known = RESOLVED.get(joined);
        if (known != null) {
            return known;
        }
        URI uri = URI.create(joined);
        if (RESOLVED.size() < MAX_RESOLVED) {
            RESOLVED.put(joined, uri);
        }
        return uri;
    }

    /** Reads at most {@code max} bytes; a longer body is a protocol error. Idle reads are ended by the watchdog. */
    public static byte[] readBounded(HttpResponse<InputStream> response, int max, Watchdog watchdog, Duration idle)
            throws UpstreamException {
        return readBounded(response, max, watchdog, idle, BoundedBody.Reservation.NONE);
    }

    /**
     * Reads a provider's whole answer to {@code call}: at most {@code max} bytes, idle reads ended after the call's idle
     * timeout, and room taken in the request's share of the in-flight budget before each buffer. That wait is held to
     * half the idle timeout, so the watchdog cannot end an answer the provider has sent while it waits for room.
     */
    public static byte[] readAnswer(HttpResponse<InputStream> response, int max, Watchdog watchdog, UpstreamCall call)
            throws UpstreamException {
        Duration idle = call.idleTimeout();
        return readBounded(response, max, watchdog, idle,
                InflightBodyBudget.answerRoom(call.exchange(), idle.dividedBy(2)));
    }

    private static byte[] readBounded(HttpResponse<InputStream> response, int max, Watchdog watchdog, Duration idle,
                                      BoundedBody.Reservation room) throws UpstreamException {
        // Content-Length sizes the array up front (it is only a hint: the read still stops at max, and grows if the
        // body turns out longer); without it a small answer cost a 4 KiB buffer and a copy per request.
        long hint = response.headers().firstValueAsLong("content-length").orElse(-1);
        return readBounded(response.body(), max, hint, watchdog, idle, room);
    }

    private static byte[] readBounded(InputStream in, int max, long sizeHint, Watchdog watchdog, Duration idle,
                                      BoundedBody.Reservation room) throws UpstreamException {
        Watchdog.Watch watch = watchdog.watch(idle.toNanos(), () -> closeQuietly(in));
        try (in) {
            return BoundedBody.read(in, max, sizeHint, watch::touch, room);
        } catch (BoundedBody.TooLargeException e) {
            throw UpstreamException.protocol("provider response larger than " + max + " bytes");
        } catch (IOException e) {
            throw watch.expired() ? UpstreamException.timeout("provider response stalled")
                    : UpstreamException.connect("provider connection broke while reading the response");
        } finally {
            watch.stop();
        }
    }

    /** Turns a non-2xx provider answer into an exception the router can act on. */
    public static UpstreamException statusFailure(UpstreamCall call, int status, HttpHeaders headers, byte[] body) {
        String message = providerMessage(body);
        if (message != null && call.credential() != null && !call.credential().isEmpty()) {
            message = message.replace(call.credential(), "****");
        }
        return new UpstreamException(UpstreamException.Failure.STATUS, status,
                call.endpoint().name() + " answered " + status, retryAfter(headers), message);
    }

    /** {@code retry-after-ms}, then {@code Retry-After} in seconds or as an HTTP date. */
    public static @Nullable Duration retryAfter(HttpHeaders headers) {
        var millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().strip())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        var value = headers.firstValue("retry-after");
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get().strip();
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(text) * 1000)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    /**
     * The value of the top-level member {@code name} of a JSON body, or null when the body is empty, is not an object,
     * or has no such member (the last one counts if it appears twice, as in a tree). The whole body is still read
     * token by token, so a body that is not well-formed JSON fails as it would when parsed into a tree; but only the
     * member is built, not the rest (a chat answer's choices and text), which is most of the allocation per answer.
     *
     * @throws JacksonException if the body is not well-formed JSON
     */
    public static @Nullable JsonNode member(byte[] body, String name) {
        try (JsonParser parser = MEMBER.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode found = null;
            if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    boolean wanted = name.equals(parser.currentName());
                    parser.nextToken();
                    if (wanted) {
                        found = MEMBER.readTree(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new StreamReadException(parser, "trailing content after the JSON value");
            }
            return found;
        }
    }

    /** The provider's error message from an OpenAI- or Anthropic-shaped error body, bounded in length. */
    public static @Nullable String providerMessage(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode message = root.path("error").path("message");
            if (!message.isString()) {
                message = root.path("message");
            }
            if (message.isString()) {
                return truncate(message.asString());
            }
            return null;
        } catch (JacksonException e) {
            return truncate(new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
        }
    }

    private static String truncate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is how a stalled read is ended
        }
    }
}
