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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On a real Tomcat (what MockMvc cannot show): the session cookie's attributes, the idle timeout, a plain HTTP client
 * on {@code /v1}; and the admin token switched off with {@code warden.sso.admin-token.enabled=false}, on the admin
 * API and on the sign-in page.
 */
@SpringBootTest(classes = SsoTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "warden.sso.admin-token.enabled=false")
class ServletContainerTest {

    @DynamicPropertySource
    static void identityProviders(DynamicPropertyRegistry registry) {
        TestIdentityProviders.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Autowired
    RecordingAuditSink audit;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void theSessionCookieIsSecureHttpOnlyAndSameSiteWithTheConfiguredTimeout() throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url("/console/keys")).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(302);
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("WARDEN_SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Lax").contains("Path=/");
        assertThat(context.getServletContext().getSessionTimeout()).isEqualTo(20);
    }

    @Test
    void v1IsServedWithoutCookiesOrChallenges() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sk-virtual")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"demo\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(response.body()).contains("\"session\":false");
    }

    @Test
    void aDisabledAdminTokenIsRefusedAndTheAttemptAudited() throws Exception {
        audit.clear();
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url("/admin/api/whoami"))
                .header("Authorization", "Bearer " + SsoTestApplication.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("admin-token.enabled=false"));
        // Bearer JWTs still work.
        String jwt = TestIdentityProviders.OIDC.issueToken("automation", "ci", TestIdentityProviders.API_AUDIENCE,
                java.util.Map.of("groups", List.of("warden-viewers")), 600).serialize();
        assertThat(http.send(HttpRequest.newBuilder(url("/admin/api/whoami")).header("Authorization", "Bearer " + jwt).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledAdminTokenOpensNoConsoleSession() throws Exception {
        TokenSignInOverHttp browser = new TokenSignInOverHttp(port);

        assertThat(browser.signInPage().body()).doesNotContain("admin-token").contains("id=\"login-oidc-okta\"");
        assertThat(browser.postToken(SsoTestApplication.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
