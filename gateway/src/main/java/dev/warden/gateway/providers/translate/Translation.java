package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamEventStream;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.surface.CanonicalRequest;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The caller's side of translation, shared by every adapter that serves a protocol other than its provider's:
 * the caller's request as a {@link Conversation}, and a canonical answer or delta stream rendered in the caller's
 * protocol. An adapter only has to convert between canonical and its provider's wire format.
 * Why one canonical model and shared encoders: docs/adr/0003-provider-translation-through-canonical-deltas.md.
 */
public final class Translation {
    private Translation() {
    }

    /** The caller's request, whatever its protocol, as a conversation. */
    public static Conversation conversation(CanonicalRequest request) {
        return switch (request.surface()) {
            case CHAT_COMPLETIONS -> ChatCodec.parseRequest(request.body());
            case RESPONSES -> ResponsesCodec.parseRequest(request.body());
            case ANTHROPIC_MESSAGES, ANTHROPIC_COUNT_TOKENS -> AnthropicCodec.parseRequest(request.body());
            default -> throw new IllegalArgumentException("surface: " + request.surface()
                    + " (expected: chat.completions, responses or messages)");
        };
    }

    /** A complete answer in the caller's protocol; records its usage on the exchange. */
    public static Reply.Json answer(UpstreamCall call, Answer answer, Map<String, String> headers) {
        CanonicalRequest request = call.request();
        ObjectNode body = switch (request.surface()) {
            case CHAT_COMPLETIONS -> ChatCodec.writeAnswer(answer, request.model());
            case RESPONSES -> ResponsesCodec.writeAnswer(answer, request.model(), request.body());
            case ANTHROPIC_MESSAGES -> AnthropicCodec.writeAnswer(answer, request.model());
            default -> throw new IllegalArgumentException("surface: " + request.surface());
        };
        if (!answer.usage().equals(Usage.NONE)) {
            call.exchange().put(Usage.ATTRIBUTE, answer.usage());
        }
        return new Reply.Json(200, Json.MAPPER.writeValueAsBytes(body), headers);
    }

    /** A fresh encoder for the caller's protocol. */
    public static StreamEncoder encoder(CanonicalRequest request) {
        String id = Long.toHexString(System.nanoTime()) + Integer.toHexString(request.body().hashCode());
        return switch (request.surface()) {
            case CHAT_COMPLETIONS -> new ChatStreamEncoder("chatcmpl-" + id, request.model(),
                    request.clientWantsUsage());
            case RESPONSES -> new ResponsesStreamEncoder("resp_" + id, request.model(), request.body());
            case ANTHROPIC_MESSAGES -> new AnthropicStreamEncoder("msg_" + id, request.model());
            default -> throw new IllegalArgumentException("surface: " + request.surface());
        };
    }

    /**
     * The provider's raw stream, parsed by {@code parser} and rendered in the caller's protocol. The first delta is
     * read before this returns, so a provider that fails straight away is failed over, not relayed.
     */
    public static Reply.Stream stream(UpstreamCall call, UpstreamEventStream raw,
                                      Function<EventStream, DeltaStream> parser, Map<String, String> headers,
                                      long sentNanos) throws UpstreamException {
        return stream(call, raw, raw::expired, parser, headers, sentNanos);
    }

    /** As above, for a provider stream that is not server-sent events (Bedrock's binary event stream). */
    public static Reply.Stream stream(UpstreamCall call, EventStream raw, BooleanSupplier expired,
                                      Function<EventStream, DeltaStream> parser, Map<String, String> headers,
                                      long sentNanos) throws UpstreamException {
        TranslatedEventStream stream = new TranslatedEventStream(parser.apply(raw), encoder(call.request()),
                call.exchange());
        String name = call.endpoint().name();
        try {
            if (!stream.prime()) {
                stream.close();
                throw UpstreamException.protocol(name + " ended the stream without an event");
            }
        } catch (IOException e) {
            stream.close();
            throw expired.getAsBoolean()
                    ? UpstreamException.timeout(name + " sent no event within " + call.idleTimeout().toSeconds() + "s")
                    : UpstreamException.connect(name + " broke the stream before the first event");
        } finally {
            call.exchange().addUpstreamNanos(System.nanoTime() - sentNanos);
        }
        return new Reply.Stream(stream, headers);
    }

    /** Whether the caller speaks this surface natively through translation at all. */
    public static boolean translatable(Surface surface) {
        return surface == Surface.CHAT_COMPLETIONS || surface == Surface.RESPONSES
                || surface == Surface.ANTHROPIC_MESSAGES;
    }
}
