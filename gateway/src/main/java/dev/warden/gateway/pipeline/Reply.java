package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** What the pipeline answers: a complete JSON body or a stream of events. Errors are thrown as GatewayException. */
public sealed interface Reply permits Reply.Json, Reply.Stream {

    Map<String, String> headers();

    /** A complete answer. {@code body} is UTF-8 JSON in the caller's protocol. */
    record Json(int status, byte[] body, Map<String, String> headers) implements Reply {
        public Json {
            requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }
    }

    /** A streamed answer; the HTTP writer drains {@code events} and closes it. */
    record Stream(EventStream events, Map<String, String> headers) implements Reply {
        public Stream {
            requireNonNull(events, "events");
            headers = Map.copyOf(headers);
        }
    }
}
