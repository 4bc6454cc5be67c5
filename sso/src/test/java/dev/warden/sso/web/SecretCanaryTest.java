package dev.warden.sso.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.oidc.OidcBrowser;
import dev.warden.sso.testapp.SsoTestApplication;
import dev.warden.sso.testapp.TestIdentityProviders;
import dev.warden.sso.testapp.TestSamlIdp;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Sends the secrets this module handles through every sign-in path, accepted and refused, and checks that none of
 * them reaches the log or the audit events.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretCanaryTest extends SsoIntegrationTest {

    @Test
    void noTokenSecretOrAssertionIsLoggedOrAudited(CapturedOutput output) throws Exception {
        String jwt = automationToken("canary-bot", List.of("warden-admins"));
        String refusedJwt = TestIdentityProviders.OIDC.issueToken("automation", "canary-bot", "api://wrong",
                Map.of("groups", List.of("warden-admins")), 600).serialize();
        String wrongAdminToken = "wdn_admin_canary_WRONG_6Jq0v3X9b2Lr8TzYk1Pn4Hs7";
        String samlResponse = TestSamlIdp.encode(TestIdentityProviders.SAML.unsignedResponse(
                TestSamlIdp.Spec.defaults("http://localhost/saml/metadata", "http://localhost/saml/acs", "_x")));

        for (String bearer : new String[] {SsoTestApplication.ADMIN_TOKEN, wrongAdminToken, jwt, refusedJwt}) {
            mvc.perform(get("/admin/api/whoami").header("Authorization", "Bearer " + bearer));
        }
        mvc.perform(post("/saml/acs").param("SAMLResponse", samlResponse));
        // The console sign-in form, refused then accepted (which also forgets the refusal in the throttle).
        for (String token : new String[] {wrongAdminToken, SsoTestApplication.ADMIN_TOKEN}) {
            MvcResult page = mvc.perform(get("/login")).andReturn();
            Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.getResponse().getContentAsString());
            assertThat(csrf.find()).isTrue();
            mvc.perform(post("/login/token").cookie(page.getResponse().getCookie("XSRF-TOKEN"))
                    .param("token", token).param("_csrf", csrf.group(1)));
        }
        // An OIDC login: the code redemption sends the client secret to the IdP.
        OidcBrowser.login(mvc, "okta", TestIdentityProviders.OKTA_CLIENT, "00u-canary", Map.of("groups", List.of("warden-viewers")));

        String events = audit.events().toString();
        for (String secret : new String[] {SsoTestApplication.ADMIN_TOKEN, wrongAdminToken, signature(jwt),
                signature(refusedJwt), "test-client-secret", samlResponse.substring(0, 60)}) {
            assertThat(output.getAll()).as("log").doesNotContain(secret);
            assertThat(events).as("audit events").doesNotContain(secret);
        }
        assertThat(audit.events()).hasSizeGreaterThanOrEqualTo(7);
    }

    /** The part of a JWT that makes it usable. */
    private static String signature(String jwt) {
        return jwt.substring(jwt.lastIndexOf('.') + 1);
    }
}
