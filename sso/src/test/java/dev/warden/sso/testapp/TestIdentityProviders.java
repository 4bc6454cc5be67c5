package dev.warden.sso.testapp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The identity providers of the integration tests, one of each per JVM: a real OIDC server (mock-oauth2-server, on
 * 127.0.0.1 with a random port; issuers {@code okta}, {@code entra}, {@code automation}) and the test SAML IdP, whose
 * metadata is written to a temporary file the SP reads as it would a downloaded one.
 */
public final class TestIdentityProviders {

    public static final MockOAuth2Server OIDC = new MockOAuth2Server();
    public static final TestSamlIdp SAML = new TestSamlIdp();
    public static final Path SAML_METADATA;

    public static final String OKTA_CLIENT = "warden-console";
    public static final String ENTRA_CLIENT = "warden-entra";
    public static final String ENTRA_TENANT = "11111111-2222-3333-4444-555555555555";
    public static final String API_AUDIENCE = "api://warden";

    static {
        try {
            OIDC.start(InetAddress.getByName("127.0.0.1"), 0);
            SAML_METADATA = Files.createTempFile("warden-test-idp", ".xml");
            Files.writeString(SAML_METADATA, SAML.metadataXml(), StandardCharsets.UTF_8);
            SAML_METADATA.toFile().deleteOnExit();
            warmUp();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(OIDC::shutdown));
    }

    private TestIdentityProviders() {
    }

    /**
     * The server's first answer pays for Kotlin reflection warming up (over 10 s on a busy 2-core machine), longer than
     * Spring's discovery timeout; pay it here, once, with a patient client.
     */
    private static void warmUp() throws IOException, InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String issuer : new String[] {"okta", "entra", "automation"}) {
            client.send(java.net.http.HttpRequest.newBuilder(OIDC.wellKnownUrl(issuer).uri())
                    .timeout(java.time.Duration.ofSeconds(120)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            client.send(java.net.http.HttpRequest.newBuilder(OIDC.jwksUrl(issuer).uri())
                    .timeout(java.time.Duration.ofSeconds(120)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        OIDC.issueToken("automation", "warm-up", API_AUDIENCE, java.util.Map.of(), 60);
    }

    public static String issuer(String id) {
        return OIDC.issuerUrl(id).toString();
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("warden.sso.oidc.okta.issuer-uri", () -> issuer("okta"));
        registry.add("warden.sso.oidc.entra.issuer-uri", () -> issuer("entra"));
        registry.add("warden.sso.bearer.issuer-uri", () -> issuer("automation"));
        registry.add("warden.sso.saml.idp-metadata-file", SAML_METADATA::toString);
    }
}
