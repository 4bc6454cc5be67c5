package dev.warden.sso.saml;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.WardenSsoProperties.Saml;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.RoleMapper;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.SignInRefusedException;
import dev.warden.sso.web.WardenAuthentication;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/** Validates a posted SAML response ({@link SamlResponseValidator}) and maps its group attribute to role grants. */
public final class SamlAuthenticationProvider implements AuthenticationProvider {

    private final SamlResponseValidator validator;
    private final RoleMapper roleMapper;
    private final Saml settings;

    public SamlAuthenticationProvider(SamlResponseValidator validator, RoleMapper roleMapper, Saml settings) {
        this.validator = requireNonNull(validator, "validator");
        this.roleMapper = requireNonNull(roleMapper, "roleMapper");
        this.settings = requireNonNull(settings, "settings");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        SamlAssertion assertion;
        try {
            assertion = validator.validate(((SamlResponseAuthenticationToken) authentication).samlResponse());
        } catch (SamlValidationException e) {
            throw new SignInRefusedException(String.valueOf(e.getMessage()), AuthenticationMethod.SAML_SESSION, null, null);
        }
        Set<RoleGrant> grants = roleMapper.grantsFor(assertion.attribute(settings.groupsAttribute()));
        if (grants.isEmpty()) {
            throw new SignInRefusedException("no Warden role is mapped to the values of attribute " + settings.groupsAttribute(),
                    AuthenticationMethod.SAML_SESSION, assertion.nameId(), assertion.issuer());
        }
        String displayName = assertion.firstAttribute(settings.displayNameAttribute());
        WardenPrincipal principal = new WardenPrincipal(assertion.nameId(),
                displayName != null ? displayName : assertion.nameId(),
                assertion.firstAttribute(settings.emailAttribute()), grants, AuthenticationMethod.SAML_SESSION,
                assertion.issuer());
        return new WardenAuthentication(principal);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return SamlResponseAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
