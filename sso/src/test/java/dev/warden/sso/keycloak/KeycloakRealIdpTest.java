package dev.warden.sso.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.testapp.SsoTestApplication;
import dev.warden.sso.testapp.TestIdentityProviders;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Against a real identity provider: Keycloak with a realm made here (a user in group {@code warden-admins}, an OIDC
 * client with a groups mapper, a SAML client signing assertions). A browser-less login through OIDC and through SAML
 * must each end with the admin role in Warden.
 *
 * <p>Opt-in, because Keycloak needs about a minute to start the first time: {@code mvn -pl sso test -Dwarden.keycloak=true
 * -Dtest=KeycloakRealIdpTest}.
 */
@EnabledIfSystemProperty(named = "warden.keycloak", matches = "true")
@SpringBootTest(classes = SsoTestApplication.class)
@AutoConfigureMockMvc
class KeycloakRealIdpTest {

    static KeycloakServer keycloak;

    @DynamicPropertySource
    static void keycloak(DynamicPropertyRegistry registry) throws Exception {
        TestIdentityProviders.register(registry);
        keycloak = KeycloakServer.start();
        keycloak.createRealm(REALM_JSON);
        String issuer = keycloak.url("/realms/" + KeycloakServer.REALM);
        registry.add("warden.sso.oidc.keycloak.kind", () -> "generic");
        registry.add("warden.sso.oidc.keycloak.issuer-uri", () -> issuer);
        registry.add("warden.sso.oidc.keycloak.client-id", () -> "warden-console");
        registry.add("warden.sso.oidc.keycloak.client-secret", () -> "keycloak-client-secret");
        registry.add("warden.sso.saml.idp-metadata-file", () -> "");
        registry.add("warden.sso.saml.idp-metadata-url", () -> issuer + "/protocol/saml/descriptor");
    }

    static final String REALM_JSON = """
            {
              "realm": "warden", "enabled": true,
              "groups": [ { "name": "warden-admins" }, { "name": "payments-viewers" } ],
              "users": [ {
                "username": "alice", "enabled": true, "email": "alice@example.com", "emailVerified": true,
                "firstName": "Alice", "lastName": "Admin",
                "credentials": [ { "type": "password", "value": "alice-password", "temporary": false } ],
                "groups": [ "/warden-admins" ]
              } ],
              "clients": [ {
                "clientId": "warden-console", "protocol": "openid-connect", "enabled": true,
                "publicClient": false, "secret": "keycloak-client-secret", "standardFlowEnabled": true,
                "directAccessGrantsEnabled": false,
                "redirectUris": [ "http://localhost/login/oauth2/code/keycloak" ],
                "attributes": { "pkce.code.challenge.method": "S256" },
                "protocolMappers": [ {
                  "name": "groups", "protocol": "openid-connect", "protocolMapper": "oidc-group-membership-mapper",
                  "config": { "full.path": "false", "id.token.claim": "true", "access.token.claim": "true",
                              "userinfo.token.claim": "true", "claim.name": "groups" }
                } ]
              }, {
                "clientId": "http://localhost/saml/metadata", "protocol": "saml", "enabled": true,
                "redirectUris": [ "http://localhost/saml/acs" ],
                "attributes": {
                  "saml_assertion_consumer_url_post": "http://localhost/saml/acs",
                  "saml.assertion.signature": "true", "saml.server.signature": "true",
                  "saml.client.signature": "false", "saml.signature.algorithm": "RSA_SHA256",
                  "saml_signature_canonicalization_method": "http://www.w3.org/2001/10/xml-exc-c14n#",
                  "saml.authnstatement": "true", "saml_name_id_format": "username", "saml.force.name.id.format": "true",
                  "saml.encrypt": "false"
                },
                "protocolMappers": [ {
                  "name": "groups", "protocol": "saml", "protocolMapper": "saml-group-membership-mapper",
                  "config": { "attribute.name": "groups", "full.path": "false", "single": "false" }
                } ]
              } ]
            }
            """;

    @org.junit.jupiter.api.AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void oidcLoginThroughKeycloakEndsWithTheAdminRole() throws Exception {
        MvcResult start = mvc.perform(get("/oauth2/authorization/keycloak")).andReturn();
        MockHttpSession session = (MockHttpSession) start.getRequest().getSession(false);
        Browser browser = new Browser();

        String loginPage = browser.get(start.getResponse().getRedirectedUrl()).body();
        HttpResponse<String> afterLogin = browser.submitLogin(loginPage);

        URI callback = URI.create(afterLogin.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("Keycloak did not redirect back: HTTP " + afterLogin.statusCode())));
        assertThat(callback.getPath()).isEqualTo("/login/oauth2/code/keycloak");
        MvcResult done = mvc.perform(get(callback).session(session)).andReturn();
        assertThat(done.getResponse().getRedirectedUrl()).isEqualTo("/console");
        mvc.perform(get("/admin/api/whoami").session(session))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.method").value("OIDC_SESSION"))
                .andExpect(jsonPath("$.grants[0]").value("admin"));
    }

    @Test
    void samlLoginThroughKeycloakEndsWithTheAdminRole() throws Exception {
        String idpUrl = mvc.perform(get("/saml/login")).andReturn().getResponse().getRedirectedUrl();
        Browser browser = new Browser();

        String loginPage = browser.get(idpUrl).body();
        HttpResponse<String> afterLogin = browser.submitLogin(loginPage);

        // Keycloak answers with the HTTP-POST binding: a self-submitting form carrying the signed response.
        String samlResponse = Browser.formField(afterLogin.body(), "SAMLResponse");
        String relayState = Browser.formField(afterLogin.body(), "RelayState");
        MvcResult acs = mvc.perform(post("/saml/acs").param("SAMLResponse", samlResponse).param("RelayState", relayState))
                .andReturn();
        assertThat(acs.getResponse().getRedirectedUrl()).isEqualTo("/console");
        mvc.perform(get("/admin/api/whoami").session((MockHttpSession) acs.getRequest().getSession(false)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value("alice"))
                .andExpect(jsonPath("$.method").value("SAML_SESSION"))
                .andExpect(jsonPath("$.grants[0]").value("admin"));
    }

    /**
     * Just enough browser for Keycloak's login form: a cookie jar, no redirects followed, form fields read from HTML.
     * The jar is hand-made because Keycloak marks its cookies Secure and the JDK's CookieManager will not send those
     * over the plain-HTTP loopback this test uses.
     */
    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new java.util.LinkedHashMap<>();

        HttpResponse<String> get(String url) throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)));
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return response;
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return response;
        }

        HttpResponse<String> submitLogin(String loginPage) throws Exception {
            Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(loginPage);
            if (!action.find()) {
                action = Pattern.compile("action=\"([^\"]+)\"").matcher(loginPage);
                assertThat(action.find()).as("login form in Keycloak page").isTrue();
            }
            String form = Map.of("username", "alice", "password", "alice-password", "credentialId", "").entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(URI.create(unescape(action.group(1))))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        static String formField(String html, String name) {
            Matcher field = Pattern.compile("name=\"" + name + "\"\\s+value=\"([^\"]*)\"").matcher(html);
            assertThat(field.find()).as("form field %s in %s", name, html.length() > 300 ? html.substring(0, 300) : html).isTrue();
            return unescape(field.group(1));
        }

        static String unescape(String html) {
            return html.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x3D;", "=").replace("&#43;", "+")
                    .replace("&#x2B;", "+").replace("&quot;", "\"");
        }
    }
}
