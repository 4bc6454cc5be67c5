package dev.warden.gateway.providers;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.gateway.providers.translate.Conversation;
import dev.warden.gateway.providers.translate.Part;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gemini API (Generative Language) as its reference documents it: {@code POST /v1beta/models/{model}:generateContent}
 * answering a GenerateContentResponse ({@code candidates[].content.parts}, {@code finishReason},
 * {@code usageMetadata} with {@code thoughtsTokenCount} and {@code cachedContentTokenCount}), and
 * {@code :streamGenerateContent?alt=sse} answering data-only events, each a partial response. Function calls carry
 * no id, as the Gemini API sends them. Errors are {@code {"error":{"code":…,"message":…,"status":…}}}.
 */
public class GeminiWireFake extends WireFake {
    static final String SIGNATURE = "Kkloh6bF5AMiQWB/nr3c+xo5WHeWtQ==";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String apiRoot;
    private final String modelsPath;

    public GeminiWireFake() {
        this("/v1beta", "/v1beta/models/");
    }

    /** Vertex AI serves the same format under {@code /v1/projects/{p}/locations/{l}/publishers/google/models/}. */
    protected GeminiWireFake(String apiRoot, String modelsPath) {
        this.apiRoot = apiRoot;
        this.modelsPath = modelsPath;
    }

    @Override
    public URI baseUrl() {
        return URI.create(root() + apiRoot);
    }

    @Override
    protected String errorBody(int status, String message) {
        String code = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
        String details = status != 429 ? "" : ",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
                + "\"retryDelay\":\"7s\"}]";
        return "{\"error\":{\"code\":" + status + ",\"message\":" + q(message) + ",\"status\":\"" + code + "\""
                + details + "}}";
    }

    private static String usage(Script s) {
        return "{\"promptTokenCount\":" + s.input() + ",\"candidatesTokenCount\":" + (s.output() - s.reasoning())
                + ",\"totalTokenCount\":" + (s.input() + s.output()) + ",\"cachedContentTokenCount\":" + s.cached()
                + ",\"thoughtsTokenCount\":" + s.reasoning() + "}";
    }

    /**
     * {@code :countTokens}: the Gemini API takes {@code {"generateContentRequest": {"model": "models/…", "contents": …}}}
     * (or bare {@code contents}), Vertex AI {@code contents}, {@code systemInstruction} and {@code tools} at the top
     * level; both answer {@code {"totalTokens": n}} (Vertex adds {@code totalBillableCharacters}). A body in the other
     * API's shape is a 400, as the real ones answer unknown fields.
     */
    private void countTokens(Received request, HttpExchange exchange, Script s) throws IOException {
        JsonNode body = JSON.readTree(request.body());
        boolean vertex = !"/v1beta".equals(apiRoot);
        JsonNode counted = vertex ? body : body.has("generateContentRequest") ? body.get("generateContentRequest") : body;
        boolean wrongShape = vertex ? body.has("generateContentRequest")
                : body.has("generateContentRequest") && !counted.path("model").asString("").startsWith("models/");
        if (wrongShape || !counted.path("contents").isArray() || counted.has("generationConfig")) {
            json(exchange, 400, errorBody(400, "Invalid JSON payload received for countTokens"));
            return;
        }
        json(exchange, 200, "{\"totalTokens\":" + s.input() + (vertex ? ",\"totalBillableCharacters\":" + (4 * s.input())
                : ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":" + s.input() + "}]") + "}");
    }

    @Override
    protected void answer(Received request, HttpExchange exchange, Script s) throws IOException {
        if (request.path().endsWith(":countTokens")) {
            countTokens(request, exchange, s);
            return;
        }
        if (request.path().endsWith(":batchEmbedContents")) {
            StringBuilder embeddings = new StringBuilder();
            for (JsonNode item : JSON.readTree(request.body()).path("requests")) {
                int dimensions = item.path("outputDimensionality").asInt(4);
                embeddings.append(embeddings.isEmpty() ? "" : ",").append("{\"values\":[");
                for (int i = 0; i < dimensions; i++) {
                    embeddings.append(i == 0 ? "" : ",").append(i == 0 ? "0.5" : "-0.25");
                }
                embeddings.append("]}");
            }
            json(exchange, 200, "{\"embeddings\":[" + embeddings + "]}");
            return;
        }
        boolean stream = request.path().endsWith(":streamGenerateContent");
        if (!request.path().startsWith(modelsPath) || !stream && !request.path().endsWith(":generateContent")) {
            json(exchange, 404, errorBody(404, "not found: " + request.path()));
            return;
        }
        if (stream && !request.query().contains("alt=sse")) {
            json(exchange, 400, errorBody(400, "this fake streams only with alt=sse"));
            return;
        }
        String model = request.path().substring(modelsPath.length(), request.path().indexOf(':'));
        String tail = ",\"modelVersion\":" + q(model) + ",\"responseId\":\"mAitaLmkHPPlz7IPvtfUqQ4\"}";
        String candidate = "{\"candidates\":[{\"content\":{\"parts\":[%s],\"role\":\"model\"}%s,\"index\":0}]";
        // Thinking models sign function calls; the signature must come back with the call next turn.
        String call = s.isToolCall() ? "{\"functionCall\":{\"name\":" + q(s.toolName()) + ",\"args\":"
                + s.toolArguments() + "},\"thoughtSignature\":\"" + SIGNATURE + "\"}" : null;
        if (!stream) {
            String parts = call != null ? call : "{\"text\":" + q(s.text()) + "}";
            json(exchange, 200, candidate.formatted(parts, ",\"finishReason\":\"STOP\"") + ",\"usageMetadata\":"
                    + usage(s) + tail);
            return;
        }
        List<String[]> events = new ArrayList<>();
        if (call != null) {
            events.add(new String[] {null, candidate.formatted(call, ",\"finishReason\":\"STOP\"")
                    + ",\"usageMetadata\":" + usage(s) + tail});
        } else {
            String[] pieces = s.pieces();
            for (int i = 0; i < pieces.length; i++) {
                boolean last = i == pieces.length - 1;
                events.add(new String[] {null, candidate.formatted("{\"text\":" + q(pieces[i]) + "}",
                        last ? ",\"finishReason\":\"STOP\"" : "") + ",\"usageMetadata\":"
                        + (last ? usage(s) : "{\"promptTokenCount\":" + s.input() + ",\"totalTokenCount\":"
                        + s.input() + "}") + tail});
            }
        }
        sse(exchange, events);
    }

    /** Reads a generateContent request back as a conversation. */
    @Override
    public Conversation saw(Received request) {
        JsonNode body = JSON.readTree(request.body());
        StringBuilder system = new StringBuilder();
        for (JsonNode part : body.path("systemInstruction").path("parts")) {
            system.append(part.path("text").asString(""));
        }
        List<Conversation.Message> messages = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            List<Part> parts = new ArrayList<>();
            for (JsonNode part : content.path("parts")) {
                if (part.has("text")) {
                    parts.add(new Part.Text(part.path("text").asString()));
                } else if (part.has("functionCall")) {
                    JsonNode fc = part.path("functionCall");
                    parts.add(new Part.ToolCall(fc.path("id").asString(fc.path("name").asString()),
                            fc.path("name").asString(), JSON.writeValueAsString(fc.path("args"))));
                } else if (part.has("functionResponse")) {
                    JsonNode fr = part.path("functionResponse");
                    parts.add(new Part.ToolResult(fr.path("id").asString(fr.path("name").asString()),
                            fr.path("response").path("content").asString(""), false));
                } else if (part.has("inlineData")) {
                    parts.add(new Part.Image(part.path("inlineData").path("mimeType").asString(),
                            part.path("inlineData").path("data").asString(), null));
                }
            }
            messages.add(new Conversation.Message("model".equals(content.path("role").asString())
                    ? Conversation.Role.ASSISTANT : Conversation.Role.USER, parts));
        }
        List<Conversation.Tool> tools = new ArrayList<>();
        for (JsonNode declaration : body.path("tools").path(0).path("functionDeclarations")) {
            tools.add(new Conversation.Tool(declaration.path("name").asString(),
                    declaration.path("description").isString() ? declaration.path("description").asString() : null,
                    declaration.get("parameters") instanceof ObjectNode o ? o : JSON.createObjectNode()));
        }
        return new Conversation(system.isEmpty() ? null : system.toString(), messages, tools, null, null, null, null,
                List.of());
    }
}
