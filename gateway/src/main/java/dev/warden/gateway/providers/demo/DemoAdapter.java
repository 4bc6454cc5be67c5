package dev.warden.gateway.providers.demo;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ListEventStream;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.surface.CanonicalRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in {@code demo} provider: answers every surface deterministically with no network, so the gateway, its
 * budgets and its clients can be tried and tested offline. It repeats what it was told, streams in several chunks,
 * and echoes a tool call when the last user message is {@code /tool NAME {json arguments}}. Token counts are a
 * fixed function of the request, and the demo model has a fixed price, so spend is predictable.
 */
@Component
public class DemoAdapter implements ProviderAdapter {
    /** Tokens are counted as one per four bytes of request body and of answer text (at least one). */
    static final int BYTES_PER_TOKEN = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public String type() {
        return "demo";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        if (request.surface() == Surface.ANTHROPIC_COUNT_TOKENS) {
            // The count the same conversation would be charged as input (body bytes / 4); counting itself is free.
            ObjectNode count = NODES.objectNode();
            count.put("input_tokens", Math.max(1, call.exchange().inbound().body().length / BYTES_PER_TOKEN));
            return json(count);
        }
        DemoTurn turn = DemoTurn.of(request).limitedTo(maxOutputTokens(request) * BYTES_PER_TOKEN);
        String id = shortHash(JSON.writeValueAsBytes(request.body()));
        long created = System.currentTimeMillis() / 1000;
        String model = call.upstreamModel();
        long inputTokens = Math.max(1, call.exchange().inbound().body().length / BYTES_PER_TOKEN);
        long outputTokens = Math.max(1, (turn.outputLength() + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN);
        Usage usage = new Usage(inputTokens, outputTokens, 0, 0);
        call.exchange().put(Usage.ATTRIBUTE, usage);
        return switch (request.surface()) {
            case CHAT_COMPLETIONS -> request.stream()
                    ? stream(DemoChat.events(turn, id, created, model, usage, request.clientWantsUsage()))
                    : json(DemoChat.completion(turn, id, created, model, usage));
            case RESPONSES -> request.stream()
                    ? stream(DemoResponses.events(turn, id, created, model, usage, request.body()))
                    : json(DemoResponses.response(turn, id, created, model, usage, request.body(), "completed"));
            case ANTHROPIC_MESSAGES -> request.stream()
                    ? stream(DemoMessages.events(turn, id, model, usage))
                    : json(DemoMessages.message(turn, id, model, usage));
            case EMBEDDINGS -> json(embeddings(request, model));
            case MODELS, ANTHROPIC_COUNT_TOKENS -> throw UpstreamException.protocol("demo: no answer for "
                    + request.surface());
        };
    }

    /** The caller's output cap, which the demo honours as a real model would. */
    private static long maxOutputTokens(CanonicalRequest request) {
        for (String field : new String[] {"max_completion_tokens", "max_output_tokens", "max_tokens"}) {
            JsonNode value = request.body().get(field);
            if (value != null && value.isIntegralNumber() && value.canConvertToLong() && value.asLong() > 0) {
                return Math.min(value.asLong(), Integer.MAX_VALUE / BYTES_PER_TOKEN);
            }
        }
        return Integer.MAX_VALUE / BYTES_PER_TOKEN;
    }

    private static Reply json(ObjectNode body) {
        return new Reply.Json(200, JSON.writeValueAsBytes(body), Map.of());
    }

    private static Reply stream(List<SseEvent> events) {
        return new Reply.Stream(new ListEventStream(events), Map.of());
    }

    /**
     * At most this many values (inputs x dimensions, ~25 MB of JSON) in one demo embeddings answer. The demo builds
     * its answer as a tree in the gateway's own heap, ~12 times the size of the JSON; three concurrent requests of
     * 2,048 inputs x 3,072 dimensions (~80 MB answers) ran the default 384 MiB heap out. A real provider's answer is
     * read as bytes and bounded per request.
     */
    static final long MAX_EMBEDDING_VALUES = 1L << 21;

    /** Deterministic unit vectors derived from each input's text. */
    static ObjectNode embeddings(CanonicalRequest request, String model) {
        JsonNode input = request.body().get("input");
        List<String> inputs = new ArrayList<>();
        if (input.isString()) {
            inputs.add(input.asString());
        } else {
            for (JsonNode item : input) {
                inputs.add(item.isString() ? item.asString() : item.toString());
            }
        }
        int dimensions = request.body().path("dimensions").asInt(256);
        long requested = (long) inputs.size() * dimensions;
        if (requested > MAX_EMBEDDING_VALUES) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The demo provider answers at most "
                    + MAX_EMBEDDING_VALUES + " embedding values per request; this one asks for " + inputs.size()
                    + " inputs x " + dimensions + " dimensions = " + requested + ". Split the input, lower dimensions, "
                    + "or route the model to a real provider", "input");
        }
        boolean base64 = "base64".equals(request.body().path("encoding_format").asString("float"));
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = vector(inputs.get(i), dimensions);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    buffer.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            tokens += Math.max(1, (inputs.get(i).getBytes(StandardCharsets.UTF_8).length + 3) / 4);
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        return root;
    }

    static float[] vector(String text, int dimensions) {
        float[] vector = new float[dimensions];
        byte[] seed = sha256(text.getBytes(StandardCharsets.UTF_8));
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            if (i % 32 == 0 && i > 0) {
                seed = sha256(seed);
            }
            vector[i] = (seed[i % 32] / 128f);
            norm += vector[i] * vector[i];
        }
        float scale = norm == 0 ? 1 : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    static String shortHash(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes), 0, 12);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
