package dev.warden.gateway.console;

import dev.warden.gateway.testing.GatewayTestSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway of the console tests with OIDC console login against a real OIDC server in this JVM
 * (mock-oauth2-server on 127.0.0.1, interactive: its sign-in page asks for a user name, as an IdP would). Whoever
 * signs in gets the IdP group {@code warden-admins}, which the gateway maps to the {@code admin} role.
 */
abstract class ConsoleTestSupport extends GatewayTestSupport {
    static final String REGISTRATION = "warden-idp";
    static final String DISPLAY_NAME = "Warden test IdP";
    static final String CLIENT_ID = "warden-console";
    static final String ADMIN_NAME = "Ada Admin";
    static final MockOAuth2Server IDP = start();

    /** The console's SSO settings: OIDC login against the test IdP, its admins group mapped to the admin role. */
    @DynamicPropertySource
    static void sso(DynamicPropertyRegistry registry) {
        String prefix = "warden.sso.oidc." + REGISTRATION + ".";
        registry.add(prefix + "issuer-uri", () -> IDP.issuerUrl(REGISTRATION).toString());
        registry.add(prefix + "client-id", () -> CLIENT_ID);
        registry.add(prefix + "client-secret", () -> "console-test-client-secret");
        registry.add(prefix + "display-name", () -> DISPLAY_NAME);
        // Plain HTTP on 127.0.0.1: a Secure cookie would not come back.
        registry.add("warden.sso.session.cookie-secure", () -> "false");
        registry.add("warden.sso.role-mappings[0].group", () -> "warden-admins");
        registry.add("warden.sso.role-mappings[0].role", () -> "admin");
        registry.add("logging.level.no.nav.security.mock.oauth2", () -> "WARN");
    }

    private static MockOAuth2Server start() {
        // The login page supplies the subject (the user name typed in); these claims are added to every token.
        DefaultOAuth2TokenCallback claims = new DefaultOAuth2TokenCallback(REGISTRATION, "unused", "JWT", null,
                Map.of("groups", List.of("warden-admins"), "name", ADMIN_NAME, "email", "ada@example.com"), 3600);
        // Netty, not the default okhttp MockWebServer: the gateway's test class path also holds okhttp 4 (the
        // OpenAI and Anthropic SDKs), whose classes shadow the okhttp 5 that MockWebServer needs.
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(true, null, null, false,
                new OAuth2TokenProvider(), Set.of(claims), new NettyWrapper()));
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            warmUp(server);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the test OIDC server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        return server;
    }

    /**
     * The server's first answers pay for Kotlin reflection warming up (seconds on a busy machine), longer than the
     * gateway's discovery timeout; pay it here with a patient client.
     */
    private static void warmUp(MockOAuth2Server server) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (var url : List.of(server.wellKnownUrl(REGISTRATION), server.jwksUrl(REGISTRATION))) {
            client.send(HttpRequest.newBuilder(url.uri()).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }
}
