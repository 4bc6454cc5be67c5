package dev.warden.sso.audit;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.rbac.WardenPrincipal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A security event for the audit ledger. Carries who (IdP subject and issuer), how, from where and when; never a
 * token, password, assertion or cookie. {@code sourceAddress} is the servlet remote address, so put the gateway behind
 * a proxy that sets it properly (Tomcat RemoteIpValve / {@code server.forward-headers-strategy}).
 */
public sealed interface SecurityEvent {

    Instant at();

    String sourceAddress();

    /** A console session started (OIDC or SAML). */
    record Login(Instant at, WardenPrincipal principal, String sourceAddress) implements SecurityEvent {
        public Login {
            requireNonNull(principal, "principal");
            requireNonNull(sourceAddress, "sourceAddress");
        }
    }

    /**
     * Sign-in refused: bad or expired token, invalid SAML response, no mapped role, wrong tenant.
     *
     * @param subject the IdP subject when it was known (e.g. a valid login with no mapped role), else null
     * @param reason a short, secret-free reason
     */
    record LoginFailed(Instant at, AuthenticationMethod method, @Nullable String subject, @Nullable String issuer,
            String reason, String sourceAddress) implements SecurityEvent {
        public LoginFailed {
            requireNonNull(method, "method");
            requireNonNull(reason, "reason");
            requireNonNull(sourceAddress, "sourceAddress");
        }
    }

    /** A console session ended by the user. */
    record Logout(Instant at, WardenPrincipal principal, String sourceAddress) implements SecurityEvent {
        public Logout {
            requireNonNull(principal, "principal");
            requireNonNull(sourceAddress, "sourceAddress");
        }
    }

    /** The break-glass admin token was used: one event per request. */
    record AdminTokenUsed(Instant at, String httpMethod, String path, String sourceAddress) implements SecurityEvent {
        public AdminTokenUsed {
            requireNonNull(httpMethod, "httpMethod");
            requireNonNull(path, "path");
            requireNonNull(sourceAddress, "sourceAddress");
        }
    }

    /** The permission matrix or scope guard said no. */
    record AccessDenied(Instant at, WardenPrincipal principal, @Nullable Permission permission, @Nullable String team,
            String httpMethod, String path, String reason, String sourceAddress) implements SecurityEvent {
        public AccessDenied {
            requireNonNull(principal, "principal");
            requireNonNull(httpMethod, "httpMethod");
            requireNonNull(path, "path");
            requireNonNull(reason, "reason");
            requireNonNull(sourceAddress, "sourceAddress");
        }
    }
}
