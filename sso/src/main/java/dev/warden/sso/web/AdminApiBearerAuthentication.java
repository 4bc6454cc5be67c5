package dev.warden.sso.web;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.WardenSsoProperties.Bearer;
import dev.warden.sso.admintoken.AdminTokenVerifier;
import dev.warden.sso.audit.SecurityAuditSink;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.oidc.OidcPrincipalMapper;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.WardenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * {@code Authorization: Bearer} on the admin API carries either an OIDC access token (a JWT: three dot-separated parts)
 * or the bootstrap admin token (anything else). The shape decides which check runs, so an admin token is never sent
 * to a JWT parser and a JWT is never compared with the admin token hash. Every admin token use, and every refused
 * bearer, goes to the audit sink.
 */
public final class AdminApiBearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

    private final @Nullable AdminTokenVerifier adminToken;
    private final @Nullable JwtAuthenticationProvider jwt;
    private final SecurityAuditSink audit;
    private final Clock clock;

    /**
     * @param adminToken null when the admin token is off ({@code warden.sso.admin-token.enabled=false})
     * @param jwtDecoder null when bearer JWTs are off
     */
    public AdminApiBearerAuthentication(@Nullable AdminTokenVerifier adminToken, @Nullable JwtDecoder jwtDecoder,
            Bearer bearer, OidcPrincipalMapper mapper, SecurityAuditSink audit, Clock clock) {
        this.adminToken = adminToken;
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
        if (jwtDecoder == null) {
            this.jwt = null;
        } else {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(jwtDecoder);
            provider.setJwtAuthenticationConverter(token -> {
                WardenPrincipal principal = mapper.map(token.getClaims(), AuthenticationMethod.OIDC_BEARER,
                        bearer.groupsClaim(), bearer.rolesClaim(), bearer.tenantId());
                return new WardenAuthentication(principal);
            });
            this.jwt = provider;
        }
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            return looksLikeJwt(token) ? authenticateJwt(authentication, request) : authenticateAdminToken(token, request);
        };
    }

    private WardenAuthentication authenticateJwt(org.springframework.security.core.Authentication bearer,
            HttpServletRequest request) {
        if (jwt == null) {
            throw refused(AuthenticationMethod.OIDC_BEARER, null, null,
                    "bearer JWTs are not accepted (warden.sso.bearer.enabled=false)", request);
        }
        try {
            return (WardenAuthentication) requireNonNull(jwt.authenticate(bearer));
        } catch (SignInRefusedException e) {
            throw refused(AuthenticationMethod.OIDC_BEARER, e.subject(), e.issuer(), String.valueOf(e.getMessage()), request);
        } catch (AuthenticationException e) {
            throw refused(AuthenticationMethod.OIDC_BEARER, null, null, String.valueOf(e.getMessage()), request);
        }
    }

    private WardenAuthentication authenticateAdminToken(String token, HttpServletRequest request) {
        if (adminToken == null) {
            throw refused(AuthenticationMethod.ADMIN_TOKEN, null, null,
                    "the admin token is disabled (warden.sso.admin-token.enabled=false)", request);
        }
        if (!adminToken.matches(token)) {
            throw refused(AuthenticationMethod.ADMIN_TOKEN, null, null, "bearer token is neither a JWT nor the admin token", request);
        }
        // Recorded before the request is served: if the ledger cannot take it, the sink throws and nothing happens.
        audit.record(new SecurityEvent.AdminTokenUsed(clock.instant(), request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr()));
        return new WardenAuthentication(WardenPrincipal.adminToken());
    }

    private InvalidBearerTokenException refused(AuthenticationMethod method, @Nullable String subject,
            @Nullable String issuer, String reason, HttpServletRequest request) {
        audit.record(new SecurityEvent.LoginFailed(clock.instant(), method, subject, issuer, reason, request.getRemoteAddr()));
        return new InvalidBearerTokenException(reason);
    }

    static boolean looksLikeJwt(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        return dots == 2 || dots == 4;
    }
}
