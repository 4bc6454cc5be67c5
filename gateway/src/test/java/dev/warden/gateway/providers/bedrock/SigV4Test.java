package dev.warden.gateway.providers.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AWS's published SigV4 test-suite vectors (AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service"). */
class SigV4Test {
    private static final SigV4.Credentials EXAMPLE = new SigV4.Credentials("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final ZonedDateTime WHEN = ZonedDateTime.parse("2015-08-30T12:36:00Z");

    @Test
    void signsGetVanilla() {
        Map<String, String> headers = SigV4.sign("GET", URI.create("https://example.amazonaws.com/"), Map.of(),
                new byte[0], "us-east-1", "service", EXAMPLE, WHEN);

        assertThat(headers).containsEntry("x-amz-date", "20150830T123600Z").containsEntry("authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void sortsTheQuery() {
        Map<String, String> headers = SigV4.sign("GET",
                URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"), Map.of(), new byte[0],
                "us-east-1", "service", EXAMPLE, WHEN);

        assertThat(headers.get("authorization"))
                .endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void encodesPathSegmentsTwiceAsNonS3ServicesExpect() {
        assertThat(SigV4.canonicalPath("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"))
                .isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse");
    }

    @Test
    void temporaryCredentialsSignTheSessionToken() {
        Map<String, String> headers = SigV4.sign("POST", URI.create("https://bedrock-runtime.eu-west-1.amazonaws.com/x"),
                Map.of("content-type", "application/json"), "{}".getBytes(), "eu-west-1", "bedrock",
                SigV4.Credentials.parse("AKID:SECRET:TOKEN"), WHEN);

        assertThat(headers).containsEntry("x-amz-security-token", "TOKEN");
        assertThat(headers.get("authorization")).contains("/20150830/eu-west-1/bedrock/aws4_request")
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token");
    }

    @Test
    void credentialsNeverShowTheSecret() {
        assertThat(SigV4.Credentials.parse("AKID:SECRET").toString()).doesNotContain("SECRET");
        assertThatThrownBy(() -> SigV4.Credentials.parse("only-one-part")).hasMessageNotContaining("only-one-part");
    }
}
