package dev.warden.sso.saml;

import static dev.warden.sso.testapp.TestIdentityProviders.SAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.testapp.TestSamlIdp;
import dev.warden.sso.testapp.TestSamlIdp.Spec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The SAML SP end to end: metadata, AuthnRequest, ACS, session, against the test IdP. */
class SamlLoginTest extends SsoIntegrationTest {

    static final String SP_ENTITY_ID = "http://localhost/saml/metadata";
    static final String ACS = "http://localhost/saml/acs";

    @Test
    void publishesSpMetadata() throws Exception {
        String metadata = mvc.perform(get("/saml/metadata")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(metadata).contains("entityID=\"" + SP_ENTITY_ID + "\"")
                .contains("WantAssertionsSigned=\"true\"")
                .contains("Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" + ACS + "\"");
    }

    @Test
    void signsInWithASignedAssertionAndMapsTheGroupAttribute() throws Exception {
        String requestId = startLogin("/console/keys");

        MvcResult acs = postResponse(SAML.signedResponse(Spec.defaults(SP_ENTITY_ID, ACS, requestId)
                .withNameId("sam@example.com").withGroups(List.of("payments-viewers", "unmapped"))), "/console/keys");

        assertThat(acs.getResponse().getRedirectedUrl()).isEqualTo("/console/keys");
        MockHttpSession session = (MockHttpSession) acs.getRequest().getSession(false);
        assertThat(session).isNotNull();
        mvc.perform(get("/admin/api/whoami").session(session))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value("sam@example.com"))
                .andExpect(jsonPath("$.displayName").value("Alice Example"))
                .andExpect(jsonPath("$.method").value("SAML_SESSION"))
                .andExpect(jsonPath("$.grants.length()").value(1))
                .andExpect(jsonPath("$.grants[0]").value("viewer@payments"));
        assertThat(audit.events(SecurityEvent.Login.class)).singleElement().satisfies(e -> {
            assertThat(e.principal().subject()).isEqualTo("sam@example.com");
            assertThat(e.principal().issuer()).isEqualTo(TestSamlIdp.ENTITY_ID);
        });
    }

    @Test
    void theSameResponsePostedAgainIsRefused() throws Exception {
        String requestId = startLogin(null);
        Document response = SAML.signedResponse(Spec.defaults(SP_ENTITY_ID, ACS, requestId));
        assertThat(postResponse(response, null).getResponse().getRedirectedUrl()).isEqualTo("/console");

        MvcResult replay = postResponse(response, null);

        assertThat(replay.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(replay.getRequest().getSession(false)).isNull();
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.method()).isEqualTo(AuthenticationMethod.SAML_SESSION));
    }

    @Test
    void anUnsignedResponseIsRefusedAndAudited() throws Exception {
        String requestId = startLogin(null);

        MvcResult acs = postResponse(SAML.unsignedResponse(Spec.defaults(SP_ENTITY_ID, ACS, requestId)), null);

        assertThat(acs.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("not signed"));
    }

    @Test
    void aValidAssertionWithNoMappedGroupIsRefusedWithTheSubject() throws Exception {
        String requestId = startLogin(null);

        MvcResult acs = postResponse(SAML.signedResponse(Spec.defaults(SP_ENTITY_ID, ACS, requestId)
                .withNameId("nobody@example.com").withGroups(List.of("Everyone"))), null);

        assertThat(acs.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.subject()).isEqualTo("nobody@example.com"));
    }

    @Test
    void theRelayStateCannotRedirectOffSite() throws Exception {
        String requestId = startLogin(null);

        MvcResult acs = postResponse(SAML.signedResponse(Spec.defaults(SP_ENTITY_ID, ACS, requestId)), "https://evil.example.com/");

        assertThat(acs.getResponse().getRedirectedUrl()).isEqualTo("/console");
        assertThat(SamlEndpointsFilter.safeTarget("//evil.example.com")).isEqualTo("/console");
        assertThat(SamlEndpointsFilter.safeTarget("/console//evil.example.com")).isEqualTo("/console");
        assertThat(SamlEndpointsFilter.safeTarget("/console/keys?id=1")).isEqualTo("/console/keys?id=1");
    }

    /** Starts a login as the browser would and returns the AuthnRequest ID the IdP will answer. */
    private String startLogin(@org.jspecify.annotations.Nullable String target) throws Exception {
        String location = mvc.perform(get("/saml/login" + (target == null ? "" : "?target=" + target)))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        assertThat(location).startsWith(TestSamlIdp.SSO_URL + "?SAMLRequest=");
        String query = URI.create(location).getRawQuery();
        String samlRequest = null;
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("SAMLRequest")) {
                samlRequest = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
            }
            if (kv[0].equals("RelayState")) {
                assertThat(URLDecoder.decode(kv[1], StandardCharsets.UTF_8)).isEqualTo(target == null ? "/console" : target);
            }
        }
        Inflater inflater = new Inflater(true);
        inflater.setInput(Base64.getDecoder().decode(samlRequest));
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                break;
            }
            xml.write(buffer, 0, n);
        }
        Element request = TestSamlIdp.parse(xml.toString(StandardCharsets.UTF_8)).getDocumentElement();
        assertThat(request.getLocalName()).isEqualTo("AuthnRequest");
        assertThat(request.getAttribute("AssertionConsumerServiceURL")).isEqualTo(ACS);
        assertThat(request.getElementsByTagNameNS(TestSamlIdp.ASSERTION_NS, "Issuer").item(0).getTextContent())
                .isEqualTo(SP_ENTITY_ID);
        return request.getAttribute("ID");
    }

    private MvcResult postResponse(Document response, @org.jspecify.annotations.Nullable String relayState) throws Exception {
        var request = post("/saml/acs").param("SAMLResponse", TestSamlIdp.encode(response));
        if (relayState != null) {
            request.param("RelayState", relayState);
        }
        // No CSRF token: the IdP posts cross-site; the signed, one-time assertion is the protection.
        return mvc.perform(request).andReturn();
    }
}
