package dev.warden.gateway.providers.translate;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** One piece of a message: text, an image, a tool call the model made, or the result of one. */
public sealed interface Part permits Part.Text, Part.Image, Part.ToolCall, Part.ToolResult {

    record Text(String text) implements Part {
        public Text {
            requireNonNull(text, "text");
        }
    }

    /**
     * An image, either inline ({@code data} is base64 and {@code mediaType} is set) or by {@code url}.
     * Exactly one of {@code data} and {@code url} is set.
     */
    record Image(@Nullable String mediaType, @Nullable String data, @Nullable String url) implements Part {
        public Image {
            if ((data == null) == (url == null)) {
                throw new IllegalArgumentException("image: exactly one of data and url (got "
                        + (data == null ? "neither" : "both") + ")");
            }
        }

        /** Parses an OpenAI-style {@code image_url}, which may be a {@code data:} URL. */
        public static Image fromUrl(String url) {
            if (url.startsWith("data:")) {
                int comma = url.indexOf(',');
                String meta = comma < 0 ? "" : url.substring(5, comma);
                if (comma > 0 && meta.endsWith(";base64")) {
                    return new Image(meta.substring(0, meta.length() - 7), url.substring(comma + 1), null);
                }
            }
            return new Image(null, null, url);
        }

        /** As a URL, inline images as a {@code data:} URL. */
        public String asUrl() {
            return url != null ? url : "data:" + (mediaType != null ? mediaType : "image/png") + ";base64," + data;
        }
    }

    /** A call the model made; {@code arguments} is JSON text (an object), as OpenAI carries it. */
    record ToolCall(String id, String name, String arguments) implements Part {
        public ToolCall {
            requireNonNull(id, "id");
            requireNonNull(name, "name");
            requireNonNull(arguments, "arguments");
        }
    }

    /** What a tool returned for the call {@code callId}; {@code content} is text. */
    record ToolResult(String callId, String content, boolean error) implements Part {
        public ToolResult {
            requireNonNull(callId, "callId");
            requireNonNull(content, "content");
        }
    }
}
