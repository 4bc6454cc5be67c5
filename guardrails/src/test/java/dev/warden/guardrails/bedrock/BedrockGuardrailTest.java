package dev.warden.guardrails.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.GuardrailChain;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.Verdict;
import dev.warden.guardrails.json.Json;
import dev.warden.guardrails.testing.Inspections;
import dev.warden.guardrails.testing.VendorGuardrailContract;
import dev.warden.guardrails.testing.VendorServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The real AWS SDK client, pointed at a local server that answers in the Bedrock runtime REST-JSON format
 * ({@code POST /guardrail/{id}/version/{version}/apply}); errors carry {@code x-amzn-ErrorType} as the service does.
 */
class BedrockGuardrailTest extends VendorGuardrailContract {

    private static final String NONE = """
            {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":1,
             "sensitiveInformationPolicyUnits":1,"sensitiveInformationPolicyFreeUnits":0,
             "contextualGroundingPolicyUnits":0},"action":"NONE","outputs":[],"assessments":[{}]}""";
    private static final String VIOLENCE = """
            {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":1,
             "sensitiveInformationPolicyUnits":1,"sensitiveInformationPolicyFreeUnits":0,
             "contextualGroundingPolicyUnits":0},
             "action":"GUARDRAIL_INTERVENED","actionReason":"Guardrail blocked.",
             "outputs":[{"text":"Sorry, the model cannot answer this question."}],
             "assessments":[{"contentPolicy":{"filters":[
               {"type":"VIOLENCE","confidence":"MEDIUM","filterStrength":"HIGH","action":"BLOCKED","detected":true},
               {"type":"HATE","confidence":"HIGH","filterStrength":"HIGH","action":"BLOCKED","detected":true}]}}]}""";
    private static final String ANONYMIZED = """
            {"usage":{"topicPolicyUnits":0,"contentPolicyUnits":0,"wordPolicyUnits":0,
             "sensitiveInformationPolicyUnits":1,"sensitiveInformationPolicyFreeUnits":0,
             "contextualGroundingPolicyUnits":0},
             "action":"GUARDRAIL_INTERVENED","outputs":[{"text":"Write to {EMAIL} or {EMAIL}"}],
             "assessments":[{"sensitiveInformationPolicy":{"piiEntities":[
               {"match":"jane@example.com","type":"EMAIL","action":"ANONYMIZED","detected":true}],
               "regexes":[{"name":"EMPLOYEE_ID","match":"E-12345","regex":"E-\\\\d{5}","action":"ANONYMIZED",
               "detected":true}]}}]}""";

    @Override
    protected Guardrail guardrail(Duration timeout) {
        return new BedrockGuardrail(new BedrockGuardrail.Config("bedrock", "gr-abc123", "1", Region.US_EAST_1,
                server.uri(), StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", CANARY)),
                timeout));
    }

    private static Reply error(int status, String type, String message) {
        return Reply.json(status, "{\"message\":\"" + message + "\"}")
                .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withHeader("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555");
    }

    @Override
    protected Reply allowReply() {
        return Reply.json(200, NONE);
    }

    @Override
    protected Reply blockReply() {
        return Reply.json(200, VIOLENCE);
    }

    @Override
    protected Reply throttledReply() {
        return error(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    }

    @Override
    protected Reply serverErrorReply() {
        return error(500, "InternalServerException", "Internal server error");
    }

    @Override
    protected Reply clientErrorReply() {
        return error(400, "ValidationException", "1 validation error detected");
    }

    @Test
    void sdkSignsAndSendsTheApplyGuardrailCall() throws Exception {
        server.enqueue(Reply.json(200, VIOLENCE));
        Verdict v = guardrail(Duration.ofSeconds(5)).inspect(Inspections.output("first part", "second part"));

        var r = server.last();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/guardrail/gr-abc123/version/1/apply");
        assertThat(r.header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/us-east-1/bedrock/aws4_request")
                .contains("Signature=")
                .doesNotContain(CANARY);
        assertThat(r.header("X-Amz-Date")).isNotBlank();
        Map<String, Object> body = Json.parseObject(r.body());
        assertThat(body).containsEntry("source", "OUTPUT");
        assertThat(body.get("content")).isEqualTo(List.of(Map.of("text", Map.of("text", "first part")),
                Map.of("text", Map.of("text", "second part"))));
        // The highest-confidence blocking filter names the verdict.
        assertThat(v).isEqualTo(new Verdict.Block("content filter HATE confidence HIGH", "content:HATE", 1.0));
    }

    @Test
    void anonymizedFindingsBecomeSpansInEveryPart() throws Exception {
        server.enqueue(Reply.json(200, ANONYMIZED));
        Guardrail g = guardrail(Duration.ofSeconds(5));

        ChainOutcome outcome = GuardrailChain.of(GuardrailPolicy.of("p", GuardrailPolicy.Step.of("bedrock")),
                List.of(g)).run(Inspections.input("Write to jane@example.com", "or jane@example.com, ref E-12345"));

        assertThat(outcome.blocked()).isFalse();
        assertThat(outcome.parts().get(0).text()).isEqualTo("Write to {EMAIL}");
        assertThat(outcome.parts().get(1).text()).isEqualTo("or {EMAIL}, ref {EMPLOYEE_ID}");
        assertThat(outcome.entityCounts()).containsEntry("EMAIL", 2).containsEntry("EMPLOYEE_ID", 1);
        assertThat(Json.parseObject(server.last().body())).containsEntry("source", "INPUT");
    }

    @Test
    void invalidVersionIsRejectedAtConfiguration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BedrockGuardrail.Config("b", "gr", "v1",
                Region.US_EAST_1, null, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
                Duration.ofSeconds(1))).hasMessage("guardrailVersion: v1 (expected: DRAFT or a version number)");
    }
}
