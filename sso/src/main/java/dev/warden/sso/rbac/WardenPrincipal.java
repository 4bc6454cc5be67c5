package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling the admin API or using the console, whatever the way they signed in.
 *
 * @param subject the IdP subject ({@code sub}, SAML NameID) or {@link #ADMIN_TOKEN_SUBJECT}
 * @param displayName for the console and the audit ledger; falls back to the subject
 * @param email when the IdP sent one
 * @param grants the roles held, each global or for one team; never empty for a signed-in principal
 * @param method how the principal authenticated
 * @param issuer the IdP (OIDC issuer or SAML entity ID); null for the admin token
 */
public record WardenPrincipal(
        String subject,
        String displayName,
        @Nullable String email,
        Set<RoleGrant> grants,
        AuthenticationMethod method,
        @Nullable String issuer) implements Serializable {

    /** The subject recorded for every use of the break-glass admin token. */
    public static final String ADMIN_TOKEN_SUBJECT = "admin-token";

    public WardenPrincipal {
        requireNonNull(subject, "subject");
        requireNonNull(displayName, "displayName");
        requireNonNull(method, "method");
        grants = Set.copyOf(requireNonNull(grants, "grants"));
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject: '' (expected: a non-blank IdP subject)");
        }
    }

    /** The principal of the bootstrap admin token presented as a bearer: global admin, nothing else. */
    public static WardenPrincipal adminToken() {
        return adminToken(AuthenticationMethod.ADMIN_TOKEN);
    }

    /**
     * The principal of a console session started with the bootstrap admin token: the same subject and grants as
     * {@link #adminToken()}, so it may do exactly what the bearer token may; only the method differs.
     */
    public static WardenPrincipal adminTokenSession() {
        return adminToken(AuthenticationMethod.ADMIN_TOKEN_SESSION);
    }

    private static WardenPrincipal adminToken(AuthenticationMethod method) {
        return new WardenPrincipal(ADMIN_TOKEN_SUBJECT, "Bootstrap admin token", null,
                Set.of(RoleGrant.global(Role.ADMIN)), method, null);
    }

    /** The roles held, global or for any team. */
    public Set<Role> roles() {
        return grants.stream().map(RoleGrant::role).collect(Collectors.toUnmodifiableSet());
    }

    /** The teams the principal holds a team-scoped grant for. */
    public Set<String> teams() {
        return grants.stream().map(RoleGrant::team).filter(t -> t != null)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Whether this and {@code other} are the same person: same subject at the same issuer. Self-escalation checks use
     * this, never the display name or e-mail, which the user may control.
     */
    public boolean isSameIdentity(String otherSubject, @Nullable String otherIssuer) {
        return subject.equals(otherSubject) && java.util.Objects.equals(issuer, otherIssuer);
    }

    @Override
    public String toString() {
        // Deliberately no e-mail: toString ends up in logs.
        return "WardenPrincipal[" + method + " " + subject + (issuer == null ? "" : " at " + issuer) + " " + grants + "]";
    }
}
