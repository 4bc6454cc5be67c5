package dev.warden.gateway.providers.gemini;

import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI embeddings ⇄ Gemini {@code batchEmbedContents}: each input string is one request; {@code dimensions}
 * becomes {@code outputDimensionality}; {@code encoding_format: base64} (the OpenAI SDKs' default) is honoured.
 * Gemini reports no token counts for embeddings, so usage is estimated at four bytes a token, enough for budgets.
 */
final class GeminiEmbeddings {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GeminiEmbeddings() {
    }

    static List<String> inputs(UpstreamCall call) throws UpstreamException {
        JsonNode input = call.request().body().get("input");
        List<String> inputs = new ArrayList<>();
        if (input != null && input.isString()) {
            inputs.add(input.asString());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isString()) {
                    throw new UpstreamException(UpstreamException.Failure.STATUS, 400, call.endpoint().name()
                            + " takes text inputs only", null,
                            "input: token arrays (expected: a string or an array of strings for Gemini models)");
                }
                inputs.add(item.asString());
            }
        }
        return inputs;
    }

    static ObjectNode writeRequest(List<String> inputs, String model, JsonNode caller) {
        ObjectNode root = NODES.objectNode();
        ArrayNode requests = root.putArray("requests");
        for (String input : inputs) {
            ObjectNode request = requests.addObject();
            request.put("model", "models/" + model);
            request.putObject("content").putArray("parts").addObject().put("text", input);
            JsonNode dimensions = caller.get("dimensions");
            if (dimensions != null && dimensions.isIntegralNumber()) {
                request.put("outputDimensionality", dimensions.asInt());
            }
        }
        return root;
    }

    static ObjectNode answer(JsonNode gemini, List<String> inputs, String model, JsonNode caller) {
        boolean base64 = "base64".equals(caller.path("encoding_format").asString("float"));
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int index = 0;
        for (JsonNode embedding : gemini.path("embeddings")) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", index++);
            JsonNode values = embedding.path("values");
            if (base64) {
                ByteBuffer buffer = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
                values.forEach(v -> buffer.putFloat(v.floatValue()));
                item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
            } else {
                item.set("embedding", values.deepCopy());
            }
        }
        root.put("model", model);
        long tokens = estimatedTokens(inputs);
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root;
    }

    static Usage usage(List<String> inputs) {
        return new Usage(estimatedTokens(inputs), 0, 0, 0);
    }

    private static long estimatedTokens(List<String> inputs) {
        long tokens = 0;
        for (String input : inputs) {
            tokens += Math.max(1, (input.getBytes(StandardCharsets.UTF_8).length + 3) / 4);
        }
        return tokens;
    }
}
