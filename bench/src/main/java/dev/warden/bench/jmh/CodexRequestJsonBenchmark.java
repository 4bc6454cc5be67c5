package dev.warden.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The JSON cost of one Codex CLI turn through the gateway. Codex sends the whole conversation every turn (Responses
 * API, {@code store: false}, tools, reasoning, {@code include}), so bodies grow to tens of kilobytes; the gateway
 * parses them with Jackson 3 (as Spring Boot 4 ships), may rewrite the model, and serialises them again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodexRequestJsonBenchmark {

    /** Turns of history in the request: 1 is a fresh session, 40 a long one (~60 KB). */
    @Param({"1", "40"})
    public int turns;

    private final ObjectMapper mapper = JsonMapper.builder().build();
    private byte[] body;

    @Setup
    public void setUp() {
        body = codexRequest(turns).getBytes(StandardCharsets.UTF_8);
    }

    /** Full tree parse: what a surface that keeps unknown fields for pass-through does. */
    @Benchmark
    public JsonNode parseTree() {
        return mapper.readTree(body);
    }

    /** Parse, rewrite the model name for the chosen target, serialise: a gateway's full round trip of the body. */
    @Benchmark
    public byte[] parseRewriteWrite() {
        ObjectNode tree = (ObjectNode) mapper.readTree(body);
        tree.put("model", "gpt-5-codex-deployment");
        return mapper.writeValueAsBytes(tree);
    }

    /** Streaming scan for the two fields routing needs ({@code model}, {@code stream}), skipping everything else. */
    @Benchmark
    public String streamingScanForModel() {
        String model = null;
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(name) && value == JsonToken.VALUE_STRING) {
                    model = p.getString();
                } else if (value.isStructStart()) {
                    p.skipChildren();
                }
            }
        }
        return model;
    }

    static String codexRequest(int turns) {
        StringBuilder input = new StringBuilder();
        for (int t = 0; t < turns; t++) {
            if (t > 0) {
                input.append(',');
            }
            input.append("""
                    {"type":"message","role":"user","content":[{"type":"input_text","text":"Turn %d: run the tests in \
                    src/test and fix the failing assertion in ParserTest; keep the public API unchanged."}]},\
                    {"type":"reasoning","id":"rs_%d","summary":[],"encrypted_content":"%s"},\
                    {"type":"function_call","id":"fc_%d","call_id":"call_%d","name":"shell",\
                    "arguments":"{\\"command\\":[\\"bash\\",\\"-lc\\",\\"mvn -q test -Dtest=ParserTest\\"],\\"timeout_ms\\":120000}"},\
                    {"type":"function_call_output","call_id":"call_%d","output":"{\\"output\\":\\"[INFO] Tests run: 12, \
                    Failures: 1\\\\nexpected:<3> but was:<4> at ParserTest.java:88\\",\\"metadata\\":{\\"exit_code\\":1}}"},\
                    {"type":"message","role":"assistant","content":[{"type":"output_text","text":"The off-by-one is in \
                    Parser.advance(); I will change the loop bound and rerun the tests."}]}"""
                    .formatted(t, t, "gAAAAA" + "x".repeat(600), t, t, t));
        }
        return """
                {"model":"gpt-5-codex","instructions":"You are Codex, a coding agent running in a terminal. %s",\
                "input":[%s],"tools":[{"type":"function","name":"shell","description":"Runs a shell command and returns \
                its output.","strict":false,"parameters":{"type":"object","properties":{"command":{"type":"array",\
                "items":{"type":"string"}},"workdir":{"type":"string"},"timeout_ms":{"type":"number"}},\
                "required":["command"],"additionalProperties":false}},{"type":"function","name":"apply_patch",\
                "description":"Applies a patch.","strict":false,"parameters":{"type":"object","properties":{"input":\
                {"type":"string"}},"required":["input"],"additionalProperties":false}}],"tool_choice":"auto",\
                "parallel_tool_calls":false,"reasoning":{"effort":"medium","summary":"auto"},"store":false,\
                "stream":true,"include":["reasoning.encrypted_content"],"prompt_cache_key":"0199a1b2-c3d4"}"""
                .formatted("Follow the repository's conventions. ".repeat(60), input);
    }
}
