package dev.warden.sso.web;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.audit.SecurityAuditSink;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.rbac.PermissionDeniedException;
import dev.warden.sso.rbac.PermissionMatrix;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.RoleGrant.KeyScope;
import dev.warden.sso.rbac.ScopeGuard;
import dev.warden.sso.rbac.TeamScope;
import dev.warden.sso.rbac.WardenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What controllers call: the {@link PermissionMatrix} and {@link ScopeGuard} checks, with every refusal sent to the
 * {@link SecurityAuditSink} before the {@link PermissionDeniedException} (a 403) is thrown.
 *
 * <pre>{@code
 * VirtualKey key = keys.find(id);                          // load first ...
 * access.require(who, Permission.KEYS_WRITE, key.team());  // ... then check the team it really belongs to
 * }</pre>
 */
public final class AccessGuard {

    private final SecurityAuditSink audit;
    private final Clock clock;

    public AccessGuard(SecurityAuditSink audit, Clock clock) {
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
    }

    /** @throws PermissionDeniedException (audited) unless {@link PermissionMatrix#allows} */
    public void require(WardenPrincipal principal, Permission permission, @Nullable String teamOfTarget) {
        audited(principal, () -> PermissionMatrix.require(principal, permission, teamOfTarget));
    }

    /** For list endpoints: which teams' objects to include. Not audited (filtering is not a refusal). */
    public TeamScope teamScope(WardenPrincipal principal, Permission permission) {
        return PermissionMatrix.teamScope(principal, permission);
    }

    /** @throws PermissionDeniedException (audited) unless {@link ScopeGuard#checkCanGrant} passes */
    public void checkCanGrant(WardenPrincipal creator, @Nullable String team, KeyScope requested) {
        audited(creator, () -> ScopeGuard.checkCanGrant(creator, team, requested));
    }

    /** @throws PermissionDeniedException (audited) unless {@link ScopeGuard#checkCanAssignRoles} passes */
    public void checkCanAssignRoles(WardenPrincipal actor, String targetSubject, @Nullable String targetIssuer,
            Set<RoleGrant> newGrants) {
        audited(actor, () -> ScopeGuard.checkCanAssignRoles(actor, targetSubject, targetIssuer, newGrants));
    }

    private void audited(WardenPrincipal principal, Runnable check) {
        try {
            check.run();
        } catch (PermissionDeniedException denied) {
            HttpServletRequest request = currentRequest();
            audit.record(new SecurityEvent.AccessDenied(clock.instant(), principal, denied.permission(), denied.team(),
                    request == null ? "-" : request.getMethod(), request == null ? "-" : request.getRequestURI(),
                    String.valueOf(denied.getMessage()), request == null ? "-" : request.getRemoteAddr()));
            throw denied;
        }
    }

    private static @Nullable HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }
}
