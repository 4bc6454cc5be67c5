package dev.warden.sso.oidc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.warden.sso.testapp.TestIdentityProviders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Plays the browser in an authorization code login without a browser: Warden (MockMvc) redirects to the real OIDC
 * server, which (non-interactive) redirects back with a code; Warden then redeems the code at the server's token
 * endpoint over real HTTP, with its PKCE verifier, and verifies the ID token against the server's JWKS.
 */
public final class OidcBrowser {

    public record Login(MockHttpSession session, String sessionIdBeforeLogin, String authorizationUrl, MvcResult callbackResult) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private OidcBrowser() {
    }

    public static Login login(MockMvc mvc, String registrationId, String clientId, String subject, Map<String, Object> claims)
            throws Exception {
        TestIdentityProviders.OIDC.enqueueCallback(new DefaultOAuth2TokenCallback(registrationId, subject, "JWT",
                List.of(clientId), claims, 300));
        MvcResult start = mvc.perform(get("/oauth2/authorization/" + registrationId)).andReturn();
        String authorizationUrl = start.getResponse().getRedirectedUrl();
        if (authorizationUrl == null) {
            throw new AssertionError("no redirect to the IdP, status " + start.getResponse().getStatus());
        }
        MockHttpSession session = (MockHttpSession) start.getRequest().getSession(false);
        String sessionIdBeforeLogin = session.getId();
        HttpResponse<Void> idp = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        URI callback = URI.create(idp.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("IdP did not redirect back, status " + idp.statusCode())));
        // get(URI) keeps the IdP's encoding of state; get(String) would encode it a second time.
        MvcResult result = mvc.perform(get(callback).session(session)).andReturn();
        return new Login(session, sessionIdBeforeLogin, authorizationUrl, result);
    }
}
