package dev.warden.sso.saml;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.http.HttpMethod;
import dev.warden.sso.web.SignInRefusedException;
import dev.warden.sso.rbac.AuthenticationMethod;

/**
 * The assertion consumer service: {@code POST /saml/acs} with {@code SAMLResponse} (HTTP-POST binding). Exempt from
 * CSRF because the IdP posts it cross-site; the signed assertion, its audience and recipient, and the one-time
 * InResponseTo are what protect it instead.
 */
public final class SamlAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

    public static final String ACS_PATH = "/saml/acs";

    public SamlAuthenticationFilter(AuthenticationManager authenticationManager) {
        super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, ACS_PATH), authenticationManager);
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
            throws AuthenticationException {
        String samlResponse = request.getParameter("SAMLResponse");
        if (samlResponse == null || samlResponse.isBlank()) {
            throw new SignInRefusedException("no SAMLResponse parameter", AuthenticationMethod.SAML_SESSION, null, null);
        }
        return getAuthenticationManager().authenticate(new SamlResponseAuthenticationToken(samlResponse));
    }
}
