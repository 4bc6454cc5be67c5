package dev.warden.sso.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.testapp.RecordingAuditSink;
import dev.warden.sso.testapp.SsoTestApplication;
import dev.warden.sso.testapp.TestIdentityProviders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code warden.sso.admin-token.console-sign-in=false}: the admin token stays a bearer for the admin API and opens no
 * console session. On a real Tomcat, so that the 404 is what a browser gets.
 */
@SpringBootTest(classes = SsoTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "warden.sso.admin-token.console-sign-in=false")
class AdminTokenSignInOffTest {

    @DynamicPropertySource
    static void identityProviders(DynamicPropertyRegistry registry) {
        TestIdentityProviders.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    RecordingAuditSink audit;

    @Test
    void theSignInPageHasNoTokenFormButKeepsTheIdpLinks() throws Exception {
        HttpResponse<String> page = new TokenSignInOverHttp(port).signInPage();

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("admin-token").doesNotContain("/login/token")
                .contains("id=\"login-oidc-okta\"").contains("id=\"login-saml\"");
    }

    @Test
    void postingTheTokenIsA404AndStartsNoSession() throws Exception {
        audit.clear();

        HttpResponse<String> response = new TokenSignInOverHttp(port).postToken(SsoTestApplication.ADMIN_TOKEN);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("WARDEN_SESSION="));
        assertThat(audit.events(SecurityEvent.Login.class)).isEmpty();
    }

    @Test
    void theTokenStillWorksAsABearerOnTheAdminApi() throws Exception {
        HttpResponse<String> whoami = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api/whoami"))
                        .header("Authorization", "Bearer " + SsoTestApplication.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).contains("\"method\":\"ADMIN_TOKEN\"");
    }
}
