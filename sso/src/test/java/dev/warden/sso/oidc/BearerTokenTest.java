package dev.warden.sso.oidc;

import static dev.warden.sso.testapp.TestIdentityProviders.API_AUDIENCE;
import static dev.warden.sso.testapp.TestIdentityProviders.OIDC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.AuthenticationMethod;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** OIDC access tokens on the admin API, issued by the real OIDC server's {@code automation} issuer. */
class BearerTokenTest extends SsoIntegrationTest {

    private static final Map<String, Object> ADMIN_GROUPS = Map.of("groups", List.of("warden-admins"));

    @Test
    void aValidTokenAuthenticatesWithTheMappedRoleAndNoSession() throws Exception {
        String token = OIDC.issueToken("automation", "terraform", API_AUDIENCE,
                Map.of("groups", List.of("warden-auditors")), 600).serialize();

        var result = mvc.perform(get("/admin/api/whoami").header("Authorization", "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value("terraform"))
                .andExpect(jsonPath("$.method").value("OIDC_BEARER"))
                .andExpect(jsonPath("$.grants[0]").value("auditor"))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        assertThat(result.getResponse().getHeader("Set-Cookie")).isNull();
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        // Issued 20 minutes ago, expired 10 minutes ago; the allowed skew is 60 s. The callback's claims override the
        // server's own iat/exp.
        long now = java.time.Instant.now().getEpochSecond();
        String token = OIDC.issueToken("automation", "terraform", API_AUDIENCE,
                Map.of("groups", List.of("warden-admins"), "iat", now - 1200, "nbf", now - 1200, "exp", now - 600), 600)
                .serialize();

        assertRefused(token, "expired");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        String token = OIDC.issueToken("okta", "terraform", API_AUDIENCE, ADMIN_GROUPS, 600).serialize();

        assertRefused(token, null);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String token = OIDC.issueToken("automation", "terraform", "api://some-other-service", ADMIN_GROUPS, 600).serialize();

        assertRefused(token, "aud");
    }

    @Test
    void algNoneIsRefused() throws Exception {
        // The claims of a valid token, re-sent unsigned.
        SignedJWT valid = OIDC.issueToken("automation", "terraform", API_AUDIENCE, ADMIN_GROUPS, 600);
        String unsigned = new PlainJWT(valid.getJWTClaimsSet()).serialize();
        assertThat(unsigned).endsWith(".");

        assertRefused(unsigned, null);
    }

    @Test
    void anHmacTokenIsRefusedEvenWithValidClaims() throws Exception {
        // Algorithm confusion: HS256 keyed with something public. Only RS256 is allowed.
        SignedJWT valid = OIDC.issueToken("automation", "terraform", API_AUDIENCE, ADMIN_GROUPS, 600);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), valid.getJWTClaimsSet());
        hmac.sign(new MACSigner(OIDC.jwksUrl("automation").toString().repeat(4).getBytes()));

        assertRefused(hmac.serialize(), null);
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        SignedJWT viewer = OIDC.issueToken("automation", "terraform", API_AUDIENCE,
                Map.of("groups", List.of("warden-viewers")), 600);
        JWTClaimsSet elevated = new JWTClaimsSet.Builder(viewer.getJWTClaimsSet()).claim("groups", List.of("warden-admins")).build();
        String[] parts = viewer.serialize().split("\\.");
        String forged = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(elevated.toString()) + "." + parts[2];

        assertRefused(forged, null);
    }

    @Test
    void aValidTokenWithNoMappedGroupIsRefused() throws Exception {
        String token = OIDC.issueToken("automation", "terraform", API_AUDIENCE, Map.of("groups", List.of("Everyone")), 600)
                .serialize();

        assertRefused(token, "no Warden role");
        assertThat(audit.events(SecurityEvent.LoginFailed.class).getLast().subject()).isEqualTo("terraform");
    }

    private void assertRefused(String token, @org.jspecify.annotations.Nullable String reason) throws Exception {
        mvc.perform(get("/admin/api/whoami").header("Authorization", "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", Matchers.containsString("invalid_token")));
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(AuthenticationMethod.OIDC_BEARER);
            if (reason != null) {
                assertThat(e.reason()).contains(reason);
            }
            // The audit line never carries the token.
            assertThat(e.toString()).doesNotContain(token.substring(0, Math.min(token.length(), 40)));
        });
    }
}
