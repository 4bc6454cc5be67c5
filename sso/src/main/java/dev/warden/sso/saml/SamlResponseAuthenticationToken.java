package dev.warden.sso.saml;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An unverified {@code SAMLResponse} as posted to the ACS; {@link SamlAuthenticationProvider} turns it into a principal. */
public final class SamlResponseAuthenticationToken extends AbstractAuthenticationToken {

    private final transient String samlResponse;

    public SamlResponseAuthenticationToken(String samlResponse) {
        super(List.of());
        this.samlResponse = samlResponse;
        setAuthenticated(false);
    }

    public String samlResponse() {
        return samlResponse;
    }

    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return "saml-response";
    }
}
