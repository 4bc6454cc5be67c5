package dev.warden.sso.oidc;

import static dev.warden.sso.testapp.TestIdentityProviders.ENTRA_CLIENT;
import static dev.warden.sso.testapp.TestIdentityProviders.ENTRA_TENANT;
import static dev.warden.sso.testapp.TestIdentityProviders.OKTA_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.testapp.TestIdentityProviders;
import jakarta.servlet.http.Cookie;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;

class OidcLoginTest extends SsoIntegrationTest {

    @Test
    void oktaLoginUsesPkceAndMapsGroupsToTeamScopedRoles() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "okta", OKTA_CLIENT, "00u-bob",
                Map.of("groups", List.of("payments-key-managers", "Everyone"), "name", "Bob Payments"));

        assertThat(login.authorizationUrl()).startsWith(TestIdentityProviders.issuer("okta"))
                .contains("code_challenge=").contains("code_challenge_method=S256").contains("nonce=")
                .contains("scope=openid%20profile%20email%20groups");
        assertThat(login.callbackResult().getResponse().getRedirectedUrl()).isEqualTo("/console");
        assertThat(login.session().getId()).as("session fixation: a new session id at login")
                .isNotEqualTo(login.sessionIdBeforeLogin());
        mvc.perform(get("/admin/api/whoami").session(login.session()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value("00u-bob"))
                .andExpect(jsonPath("$.displayName").value("Bob Payments"))
                .andExpect(jsonPath("$.method").value("OIDC_SESSION"))
                .andExpect(jsonPath("$.grants.length()").value(1)).andExpect(jsonPath("$.grants[0]").value("key-manager@payments"));
        List<SecurityEvent.Login> logins = audit.events(SecurityEvent.Login.class);
        assertThat(logins).singleElement().satisfies(e -> {
            assertThat(e.principal().subject()).isEqualTo("00u-bob");
            assertThat(e.principal().issuer()).isEqualTo(TestIdentityProviders.issuer("okta"));
        });
    }

    @Test
    void consoleRedirectsToLoginAndReturnsToTheRequestedPageAfterwards() throws Exception {
        MvcResult first = mvc.perform(get("/console")).andExpect(status().is3xxRedirection()).andReturn();
        assertThat(first.getResponse().getRedirectedUrl()).endsWith("/login");
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.allOf(
                                org.hamcrest.Matchers.containsString("/oauth2/authorization/okta"),
                                org.hamcrest.Matchers.containsString("/oauth2/authorization/entra"),
                                org.hamcrest.Matchers.containsString("/saml/login"))));
    }

    @Test
    void aUserWithNoMappedGroupCannotSignIn() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "okta", OKTA_CLIENT, "00u-nobody",
                Map.of("groups", List.of("Everyone")));

        assertThat(login.callbackResult().getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        mvc.perform(get("/admin/api/whoami").session(login.session())).andExpect(status().isUnauthorized());
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("00u-nobody");
            assertThat(e.method()).isEqualTo(AuthenticationMethod.OIDC_SESSION);
            assertThat(e.reason()).contains("no Warden role");
        });
    }

    @Test
    void entraAppRolesMapToRolesWithinTheConfiguredTenant() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "entra", ENTRA_CLIENT, "entra-oid-1",
                Map.of("tid", ENTRA_TENANT, "roles", List.of("Warden.Admin"), "name", "Erin Entra"));

        mvc.perform(get("/admin/api/whoami").session(login.session()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.grants.length()").value(1)).andExpect(jsonPath("$.grants[0]").value("admin"));
    }

    @Test
    void entraTokensFromAnotherTenantAreRefused() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "entra", ENTRA_CLIENT, "entra-oid-2",
                Map.of("tid", "99999999-0000-0000-0000-000000000000", "roles", List.of("Warden.Admin")));

        assertThat(login.callbackResult().getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("tenant 99999999-0000-0000-0000-000000000000 is not allowed"));
    }

    @Test
    void entraGroupOverageWithoutAnAppRoleIsRefusedWithTheReason() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "entra", ENTRA_CLIENT, "entra-oid-3",
                Map.of("tid", ENTRA_TENANT, "_claim_names", Map.of("groups", "src1"),
                        "_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/x/getMemberObjects"))));

        assertThat(login.callbackResult().getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("group overage"));
    }

    @Test
    void entraGroupOverageStillSignsInThroughAnAppRole() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "entra", ENTRA_CLIENT, "entra-oid-4",
                Map.of("tid", ENTRA_TENANT, "roles", List.of("Warden.Admin"), "_claim_names", Map.of("groups", "src1")));

        mvc.perform(get("/admin/api/whoami").session(login.session()))
                .andExpect(status().isOk()).andExpect(jsonPath("$.grants.length()").value(1)).andExpect(jsonPath("$.grants[0]").value("admin"));
    }

    @Test
    void sessionRequestsNeedTheCsrfTokenButBearerRequestsDoNot() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "okta", OKTA_CLIENT, "00u-alice",
                Map.of("groups", List.of("warden-admins")));
        MockHttpSession session = login.session();
        String body = """
                {"name":"ci","team":"payments","models":["gpt-4o-mini"],"budget":{"limit_usd":10,"period":"day"}}""";

        mvc.perform(post("/admin/api/keys").session(session).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());

        // The console reads the XSRF-TOKEN cookie and echoes it in X-XSRF-TOKEN, as Angular/axios do.
        Cookie xsrf = mvc.perform(get("/console").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getCookie("XSRF-TOKEN");
        assertThat(xsrf).isNotNull();
        assertThat(xsrf.isHttpOnly()).isFalse();
        mvc.perform(post("/admin/api/keys").session(session).cookie(xsrf).header("X-XSRF-TOKEN", xsrf.getValue())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated());

        String token = automationToken("ci-bot", List.of("warden-admins"));
        mvc.perform(post("/admin/api/keys").header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated());
    }

    @Test
    void logoutEndsTheSessionAtWardenAndTheIdpAndIsAudited() throws Exception {
        OidcBrowser.Login login = OidcBrowser.login(mvc, "okta", OKTA_CLIENT, "00u-carol",
                Map.of("groups", List.of("warden-viewers")));
        MockHttpSession session = login.session();
        Cookie xsrf = mvc.perform(get("/console").session(session)).andReturn().getResponse().getCookie("XSRF-TOKEN");

        mvc.perform(post("/logout").session(session)).andExpect(status().isForbidden());
        MvcResult logout = mvc.perform(post("/logout").session(session).cookie(xsrf).header("X-XSRF-TOKEN", xsrf.getValue()))
                .andExpect(status().is3xxRedirection()).andReturn();

        assertThat(logout.getResponse().getRedirectedUrl())
                .startsWith(TestIdentityProviders.issuer("okta")).contains("id_token_hint=");
        assertThat(session.isInvalid()).isTrue();
        assertThat(audit.events(SecurityEvent.Logout.class)).singleElement()
                .satisfies(e -> assertThat(e.principal().subject()).isEqualTo("00u-carol"));
    }

    @Test
    void anUnauthenticatedAdminApiCallIsA401NotARedirectAndCreatesNoSession() throws Exception {
        MvcResult result = mvc.perform(get("/admin/api/keys"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer")))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
    }

    @Test
    void theOidcCallbackWithAForgedStateIsRefused() throws Exception {
        mvc.perform(get("/login/oauth2/code/okta?code=abc&state=forged"))
                .andExpect(redirectedUrl("/login?error"));
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).hasSize(1);
    }
}
