package dev.warden.sso.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.testapp.SsoTestApplication;
import jakarta.servlet.http.Cookie;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Console sign-in with the bootstrap admin token ({@code POST /login/token}), as a browser does it: open the sign-in
 * page, which sets the {@code XSRF-TOKEN} cookie and carries the masked token in the form, then post the form.
 */
class AdminTokenSignInFilterTest extends SsoIntegrationTest {

    private static final String WRONG_TOKEN = "wdn_admin_test_not-the-token-at-all-000000000";
    private static final Pattern CSRF_FIELD = Pattern.compile("<input type=\"hidden\" name=\"_csrf\" value=\"([^\"]+)\">");

    /** What the browser holds after loading {@code /login}. */
    private record SignInForm(MockHttpSession session, Cookie xsrfCookie, String csrfField) {
    }

    @Test
    void theSignInPageOffersTheAdminTokenFormBesideTheIdpLinksWithoutScript() throws Exception {
        MvcResult page = mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", LoginPageFilter.CONTENT_SECURITY_POLICY))
                .andExpect(content().string(containsString(
                        "<form id=\"admin-token-form\" method=\"post\" action=\"/login/token\">")))
                .andExpect(content().string(containsString(
                        "<input type=\"password\" id=\"admin-token\" name=\"token\" autocomplete=\"off\" required>")))
                .andExpect(content().string(containsString("<button type=\"submit\" id=\"admin-token-submit\">")))
                .andExpect(content().string(containsString("<a id=\"login-oidc-okta\" href=\"/oauth2/authorization/okta\">Okta</a>")))
                .andExpect(content().string(containsString("<a id=\"login-oidc-entra\" href=\"/oauth2/authorization/entra\">")))
                .andExpect(content().string(containsString("<a id=\"login-saml\" href=\"/saml/login\">SAML</a>")))
                .andExpect(content().string(not(containsString("<script"))))
                .andExpect(content().string(not(containsString("style"))))
                .andReturn();

        Matcher csrf = CSRF_FIELD.matcher(page.getResponse().getContentAsString());
        assertThat(csrf.find()).as("hidden _csrf field").isTrue();
        assertThat(page.getResponse().getCookie("XSRF-TOKEN")).as("the cookie the field is checked against").isNotNull();
    }

    @Test
    void theRightTokenStartsANewSessionAndReturnsToTheConsolePageAskedFor() throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(get("/console").session(session)).andExpect(redirectedUrl("/login"));
        String sessionIdBefore = session.getId();
        SignInForm form = openSignInPage(session);

        MvcResult signIn = mvc.perform(signInPost(form, SsoTestApplication.ADMIN_TOKEN))
                .andExpect(redirectedUrl("http://localhost/console?continue")).andReturn();

        assertThat(session.getId()).as("session fixation: a new session id at sign-in").isNotEqualTo(sessionIdBefore);
        assertThat(signIn.getResponse().getCookies()).as("a new CSRF token at sign-in")
                .filteredOn(c -> c.getName().equals("XSRF-TOKEN") && c.getMaxAge() != 0)
                .singleElement().satisfies(c -> assertThat(c.getValue()).isNotEqualTo(form.xsrfCookie().getValue()));
        mvc.perform(get("/console").session(session))
                .andExpect(status().isOk()).andExpect(content().string("console for admin-token"));
        mvc.perform(get("/admin/api/whoami").session(session))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value(WardenPrincipal.ADMIN_TOKEN_SUBJECT))
                .andExpect(jsonPath("$.method").value("ADMIN_TOKEN_SESSION"))
                .andExpect(jsonPath("$.grants.length()").value(1)).andExpect(jsonPath("$.grants[0]").value("admin"));

        assertThat(audit.events(SecurityEvent.Login.class)).singleElement().satisfies(e -> {
            assertThat(e.principal()).isEqualTo(WardenPrincipal.adminTokenSession());
            assertThat(e.sourceAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).isEmpty();
        assertThat(audit.events().toString()).doesNotContain(SsoTestApplication.ADMIN_TOKEN);
    }

    @Test
    void withNoPageAskedForTheSignInLandsOnTheConsole() throws Exception {
        SignInForm form = openSignInPage(new MockHttpSession());

        mvc.perform(signInPost(form, SsoTestApplication.ADMIN_TOKEN)).andExpect(redirectedUrl("/console"));
    }

    @Test
    void theSessionChangesStateOnTheAdminApiOnlyWithTheXsrfHeader() throws Exception {
        MockHttpSession session = signedIn();
        String body = """
                {"name":"ci","team":"payments","models":["gpt-4o-mini"],"budget":{"limit_usd":10,"period":"day"}}""";

        mvc.perform(post("/admin/api/keys").session(session).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
        mvc.perform(delete("/admin/api/keys/k-search").session(session)).andExpect(status().isForbidden());

        // What the console's script does: read the XSRF-TOKEN cookie, echo it in X-XSRF-TOKEN.
        Cookie xsrf = mvc.perform(get("/console").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getCookie("XSRF-TOKEN");
        assertThat(xsrf).isNotNull();
        mvc.perform(post("/admin/api/keys").session(session).cookie(xsrf).header("X-XSRF-TOKEN", xsrf.getValue())
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.id").value("k-new"));
        mvc.perform(delete("/admin/api/keys/k-search").session(session).cookie(xsrf).header("X-XSRF-TOKEN", xsrf.getValue()))
                .andExpect(status().isNoContent());
    }

    @Test
    void aWrongTokenIsRefusedAuditedWithoutTheValueAndStartsNoSession() throws Exception {
        SignInForm form = openSignInPage(new MockHttpSession());

        mvc.perform(signInPost(form, WRONG_TOKEN).with(from("198.51.100.20"))).andExpect(redirectedUrl("/login?error"));

        mvc.perform(get("/admin/api/whoami").session(form.session())).andExpect(status().isUnauthorized());
        mvc.perform(get("/console").session(form.session())).andExpect(status().is3xxRedirection());
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(AuthenticationMethod.ADMIN_TOKEN_SESSION);
            assertThat(e.reason()).isEqualTo("the presented value is not the admin token");
            assertThat(e.sourceAddress()).isEqualTo("198.51.100.20");
        });
        assertThat(audit.events(SecurityEvent.Login.class)).isEmpty();
        assertThat(audit.events().toString()).doesNotContain(WRONG_TOKEN);
    }

    @Test
    void aPostWithoutTheFormsCsrfTokenIsRefusedBeforeTheTokenIsLookedAt() throws Exception {
        SignInForm form = openSignInPage(new MockHttpSession());

        mvc.perform(post("/login/token").session(form.session()).cookie(form.xsrfCookie())
                        .param("token", SsoTestApplication.ADMIN_TOKEN))
                .andExpect(status().isForbidden());
        // A forged page cannot read the victim's cookie, so it cannot make a field that matches it.
        mvc.perform(post("/login/token").session(form.session()).cookie(form.xsrfCookie())
                        .param("token", SsoTestApplication.ADMIN_TOKEN).param("_csrf", "forged"))
                .andExpect(status().isForbidden());

        mvc.perform(get("/admin/api/whoami").session(form.session())).andExpect(status().isUnauthorized());
        assertThat(audit.events()).isEmpty();
    }

    @Test
    void fiveFailuresFromOneAddressWithinAMinuteGetTheNextAttemptsA429() throws Exception {
        SignInForm form = openSignInPage(new MockHttpSession());
        for (int i = 0; i < AdminTokenSignInFilter.FAILED_ATTEMPTS; i++) {
            mvc.perform(signInPost(form, WRONG_TOKEN + i).with(from("203.0.113.66")))
                    .andExpect(redirectedUrl("/login?error"));
        }

        // Even the right token: a blocked address gets no answer about any token.
        MvcResult blocked = mvc.perform(signInPost(form, SsoTestApplication.ADMIN_TOKEN).with(from("203.0.113.66")))
                .andExpect(status().isTooManyRequests()).andReturn();

        assertThat(Integer.parseInt(blocked.getResponse().getHeader("Retry-After"))).isBetween(1, 60);
        mvc.perform(get("/admin/api/whoami").session(form.session())).andExpect(status().isUnauthorized());
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).hasSize(AdminTokenSignInFilter.FAILED_ATTEMPTS)
                .last().satisfies(e -> assertThat(e.reason()).contains("too many failed attempts from this address"));
        assertThat(audit.events(SecurityEvent.Login.class)).isEmpty();
        // Another address is not held back by this one.
        mvc.perform(signInPost(openSignInPage(new MockHttpSession()), SsoTestApplication.ADMIN_TOKEN)
                .with(from("203.0.113.67"))).andExpect(redirectedUrl("/console"));
    }

    @Test
    void signingOutEndsTheSession() throws Exception {
        MockHttpSession session = signedIn();
        Cookie xsrf = mvc.perform(get("/console").session(session)).andReturn().getResponse().getCookie("XSRF-TOKEN");

        mvc.perform(post("/logout").session(session).cookie(xsrf).header("X-XSRF-TOKEN", xsrf.getValue()))
                .andExpect(redirectedUrl("/login?logout"));

        assertThat(session.isInvalid()).isTrue();
        assertThat(audit.events(SecurityEvent.Logout.class)).singleElement()
                .satisfies(e -> assertThat(e.principal().method()).isEqualTo(AuthenticationMethod.ADMIN_TOKEN_SESSION));
    }

    private SignInForm openSignInPage(MockHttpSession session) throws Exception {
        MvcResult page = mvc.perform(get("/login").session(session)).andExpect(status().isOk()).andReturn();
        Matcher csrf = CSRF_FIELD.matcher(page.getResponse().getContentAsString());
        assertThat(csrf.find()).as("the sign-in page carries the _csrf field").isTrue();
        Cookie cookie = page.getResponse().getCookie("XSRF-TOKEN");
        assertThat(cookie).as("the sign-in page sets the XSRF-TOKEN cookie").isNotNull();
        return new SignInForm(session, cookie, csrf.group(1).replace("&#39;", "'").replace("&quot;", "\""));
    }

    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder signInPost(SignInForm form,
            String token) {
        return post("/login/token").session(form.session()).cookie(form.xsrfCookie())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("token", token).param("_csrf", form.csrfField());
    }

    private MockHttpSession signedIn() throws Exception {
        SignInForm form = openSignInPage(new MockHttpSession());
        mvc.perform(signInPost(form, SsoTestApplication.ADMIN_TOKEN)).andExpect(redirectedUrl("/console"));
        audit.clear();
        return form.session();
    }

    private static RequestPostProcessor from(String remoteAddress) {
        return request -> {
            request.setRemoteAddr(remoteAddress);
            return request;
        };
    }
}
