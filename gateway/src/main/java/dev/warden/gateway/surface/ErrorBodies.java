package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Error bodies in each caller protocol's own shape. */
public final class ErrorBodies {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ErrorBodies() {
    }

    /** {@code {"error":{"message","type","param","code"}}} or Anthropic's {@code {"type":"error","error":{...}}}. */
    public static ObjectNode body(Surface.Protocol protocol, ErrorKind kind, String message, @Nullable String param) {
        if (protocol == Surface.Protocol.ANTHROPIC) {
            ObjectNode root = NODES.objectNode();
            root.put("type", "error");
            ObjectNode error = root.putObject("error");
            error.put("type", kind.anthropicType());
            error.put("message", message);
            return root;
        }
        ObjectNode root = NODES.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", kind.type());
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", kind.code());
        return root;
    }

    public static byte[] bytes(Surface.Protocol protocol, ErrorKind kind, String message, @Nullable String param) {
        return JSON.writeValueAsBytes(body(protocol, kind, message, param));
    }

    /** The protocol to answer an error in when the path is all there is to go by: Anthropic's under /anthropic. */
    public static Surface.Protocol protocolOf(String path) {
        return path.startsWith("/anthropic") ? Surface.Protocol.ANTHROPIC : Surface.Protocol.OPENAI;
    }

    /** Caller input (a path, a method) fit to quote in an error message: at most 200 characters, printable ASCII. */
    public static String quotable(String text) {
        String bounded = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return bounded.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
