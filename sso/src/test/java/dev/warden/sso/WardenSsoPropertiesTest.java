package dev.warden.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.sso.testapp.SsoTestApplication;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Bad configuration stops startup with every bad key named, its value, and what was expected. */
class WardenSsoPropertiesTest {

    @Test
    void everyBadKeyIsNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> start(Map.of(
                "warden.sso.oidc.okta.kind", "okta",
                "warden.sso.oidc.entra.kind", "entra",
                "warden.sso.oidc.entra.issuer-uri", "https://login.microsoftonline.com/t/v2.0",
                "warden.sso.oidc.entra.client-id", "c",
                "warden.sso.bearer.enabled", "true",
                "warden.sso.bearer.issuer-uri", "https://idp.example.com",
                "warden.sso.bearer.algorithms", "RS256,HS256,none",
                "warden.sso.session.same-site", "None",
                "warden.sso.role-mappings[0].group", "admins",
                "warden.sso.role-mappings[0].role", "superuser")))
                .rootCause()
                .hasMessageContaining("warden.sso.oidc.okta.issuer-uri: null (expected: the issuer URL")
                .hasMessageContaining("warden.sso.oidc.okta.client-id: missing")
                .hasMessageContaining("warden.sso.oidc.entra.tenant-id: missing")
                .hasMessageContaining("warden.sso.bearer.audiences: missing")
                .hasMessageContaining("warden.sso.bearer.algorithms: HS256 (expected: one of")
                .hasMessageContaining("warden.sso.bearer.algorithms: none")
                .hasMessageContaining("warden.sso.session.same-site: None (expected: Lax or Strict)")
                .hasMessageContaining("warden.sso.role-mappings[0].role: 'superuser' (expected one of: admin, key-manager, auditor, viewer)")
                .hasMessageNotContaining("client-secret");
    }

    @Test
    void samlNeedsTheBaseUrlAndExactlyOneMetadataSource() {
        assertThatThrownBy(() -> start(Map.of("warden.sso.saml.enabled", "true",
                "warden.sso.saml.idp-metadata-url", "http://idp.example.com/metadata")))
                .rootCause()
                .hasMessageContaining("warden.sso.base-url: missing")
                .hasMessageContaining("warden.sso.saml.idp-metadata-url: http://idp.example.com/metadata (expected: an https URL");
    }

    @Test
    void anEnabledAdminTokenNeedsAVerifierOrAHash() {
        // The test app provides a verifier bean; without the app's beans, only the property can.
        assertThatThrownBy(() -> startBare(Map.of()))
                .rootCause().hasMessageContaining("no AdminTokenVerifier bean and no warden.sso.admin-token.sha256");
        try (ConfigurableApplicationContext ok = startBare(Map.of("warden.sso.admin-token.sha256",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))) {
            assertThat(ok.isRunning()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        SpringApplication app = new SpringApplication(SsoTestApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        app.setDefaultProperties(withBase(properties));
        return app.run("--server.port=0", "--spring.config.name=none");
    }

    private static ConfigurableApplicationContext startBare(Map<String, Object> properties) {
        SpringApplication app = new SpringApplication(BareApplication.class);
        app.setDefaultProperties(withBase(properties));
        return app.run("--server.port=0", "--spring.config.name=none");
    }

    private static Map<String, Object> withBase(Map<String, Object> properties) {
        var all = new java.util.HashMap<String, Object>(properties);
        all.put("spring.main.banner-mode", "off");
        return all;
    }

    /** Auto-configuration only, no component scan: no test-app beans such as its AdminTokenVerifier. */
    @org.springframework.boot.autoconfigure.EnableAutoConfiguration
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class BareApplication {
    }
}
