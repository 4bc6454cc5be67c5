package dev.warden.sso.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.testapp.SsoTestApplication;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The LLM API belongs to the gateway: the SSO chain must not authenticate, challenge, demand CSRF tokens, create
 * sessions or add headers there, whatever credentials the request carries.
 */
class UntouchedPathsTest extends SsoIntegrationTest {

    @Test
    void v1PostNeedsNoCsrfTokenNoSessionAndGetsNoPrincipal() throws Exception {
        for (String authorization : new String[] {null, "Bearer sk-virtual-key-123",
                "Bearer " + SsoTestApplication.ADMIN_TOKEN, "Bearer " + automationToken("ci", List.of("warden-admins"))}) {
            var request = post("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).content("{\"model\":\"demo\"}");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            MvcResult result = mvc.perform(request)
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.session").value(false))
                    .andExpect(jsonPath("$.principal").value("null"))
                    .andReturn();
            assertThat(result.getResponse().getHeaderNames()).as("headers for %s", authorization)
                    .doesNotContain("Set-Cookie", "WWW-Authenticate", "X-Frame-Options", "X-Content-Type-Options",
                            "Cache-Control");
            assertThat(result.getRequest().getSession(false)).isNull();
        }
        // Neither the admin token nor a JWT was looked at: nothing was audited.
        assertThat(audit.events()).isEmpty();
    }

    @Test
    void otherGatewayPathsAreNeitherChallengedNorForbidden() throws Exception {
        for (String path : new String[] {"/openai/v1/models", "/anthropic/v1/messages", "/actuator/health", "/v1/models"}) {
            int status = mvc.perform(get(path)).andReturn().getResponse().getStatus();
            // The test app has no handler there: 404 proves the request reached MVC instead of a 401/403 from us.
            assertThat(status).as(path).isEqualTo(404);
        }
    }
}
