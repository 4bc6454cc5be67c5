package dev.warden.sso.web;

import dev.warden.sso.rbac.AuthenticationMethod;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in that Warden refused after the IdP said yes (no mapped role, wrong tenant) or whose proof was invalid
 * (bad SAML response). Carries what the audit ledger needs; the message is secret-free.
 */
public final class SignInRefusedException extends AuthenticationException {

    private final AuthenticationMethod method;
    private final @Nullable String subject;
    private final @Nullable String issuer;

    public SignInRefusedException(String reason, AuthenticationMethod method, @Nullable String subject,
            @Nullable String issuer) {
        super(reason);
        this.method = method;
        this.subject = subject;
        this.issuer = issuer;
    }

    public AuthenticationMethod method() {
        return method;
    }

    public @Nullable String subject() {
        return subject;
    }

    public @Nullable String issuer() {
        return issuer;
    }
}
