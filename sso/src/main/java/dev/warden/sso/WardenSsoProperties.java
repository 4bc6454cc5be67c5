package dev.warden.sso;

import dev.warden.sso.rbac.Role;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.RoleMapping;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code warden.sso}. Bound once at startup and checked by {@link #validate()}, which names every bad
 * key at once with the value found and what was expected. The module README has the full YAML reference.
 *
 * @param baseUrl the public URL of the gateway (e.g. {@code https://warden.example.com}); required for SAML (entity ID
 *     and ACS URL must not come from a Host header) and used for OIDC redirect URIs when set
 * @param oidc OIDC providers for console login, keyed by registration id ({@code okta}, {@code entra}, ...)
 */
@ConfigurationProperties("warden.sso")
public record WardenSsoProperties(
        @Nullable URI baseUrl,
        @DefaultValue AdminToken adminToken,
        @DefaultValue Session session,
        @Nullable Map<String, OidcProvider> oidc,
        @DefaultValue Bearer bearer,
        @DefaultValue Saml saml,
        @Nullable List<RoleMappingEntry> roleMappings) {

    public WardenSsoProperties {
        oidc = oidc == null ? Map.of() : new LinkedHashMap<>(oidc);
        roleMappings = roleMappings == null ? List.of() : List.copyOf(roleMappings);
    }

    /**
     * The bootstrap admin token (break-glass).
     *
     * @param enabled {@code false} turns the token off entirely: a bearer value that is not a JWT is then refused, and
     *     there is no console sign-in with it whatever {@code console-sign-in} says
     * @param sha256 the hex SHA-256 of the token, for deployments that configure it rather than provide an
     *     {@code AdminTokenVerifier} bean
     * @param consoleSignIn ({@code warden.sso.admin-token.console-sign-in}, default {@code true}) whether the token also
     *     opens the console: {@code GET /login} then offers a form that posts it to {@code POST /login/token}, which
     *     starts a console session for the same global-admin principal the bearer token gets (method
     *     {@code ADMIN_TOKEN_SESSION}). This is how a gateway without an IdP ({@code warden serve --demo}) gets a
     *     console at all. {@code false} keeps the token to {@code Authorization: Bearer} on the admin API; the form is
     *     then not shown and {@code POST /login/token} answers 404. Meaningful only when {@code enabled} is true.
     */
    public record AdminToken(
            @DefaultValue("true") boolean enabled,
            @Nullable String sha256,
            @DefaultValue("true") boolean consoleSignIn) {

        /** Whether {@code POST /login/token} is served: the token is on and allowed to open the console. */
        public boolean consoleSignInActive() {
            return enabled && consoleSignIn;
        }
    }

    /**
     * Console sessions.
     *
     * @param timeout idle timeout, 1 minute to 12 hours
     * @param cookieSecure send the session cookie over HTTPS only; turn off only for local plain-HTTP development
     * @param sameSite {@code Lax} or {@code Strict}; Lax is needed for the OIDC redirect back from the IdP
     */
    public record Session(
            @DefaultValue("30m") Duration timeout,
            @DefaultValue("true") boolean cookieSecure,
            @DefaultValue("Lax") String sameSite,
            @DefaultValue("WARDEN_SESSION") String cookieName) {
    }

    /** The kind of OIDC provider: decides the default claims and which checks apply. */
    public enum ProviderKind {
        OKTA, ENTRA, GENERIC
    }

    /**
     * One OIDC provider for console login.
     *
     * @param issuerUri the issuer; discovery document at {@code <issuer>/.well-known/openid-configuration}
     * @param clientSecret omit for a public client (PKCE only)
     * @param groupsClaim claim holding group names or ids; default {@code groups}
     * @param rolesClaim claim holding app roles (Entra); default {@code roles} for Entra, none otherwise
     * @param tenantId Entra only, required: the {@code tid} every token must carry
     */
    public record OidcProvider(
            @DefaultValue("generic") ProviderKind kind,
            @Nullable URI issuerUri,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable List<String> scopes,
            @Nullable String groupsClaim,
            @Nullable String rolesClaim,
            @Nullable String tenantId,
            @Nullable String displayName) {

        public String effectiveGroupsClaim() {
            return groupsClaim != null ? groupsClaim : "groups";
        }

        public @Nullable String effectiveRolesClaim() {
            return rolesClaim != null ? rolesClaim : kind == ProviderKind.ENTRA ? "roles" : null;
        }

        public List<String> effectiveScopes() {
            if (scopes != null && !scopes.isEmpty()) {
                return scopes;
            }
            // Okta puts groups in the ID token only for a "groups" scope (or a custom claim); Entra uses token configuration.
            return kind == ProviderKind.OKTA ? List.of("openid", "profile", "email", "groups")
                    : List.of("openid", "profile", "email");
        }
    }

    /**
     * OIDC access tokens (JWT) accepted as {@code Authorization: Bearer} on the admin API, for automation.
     *
     * @param audiences at least one; a token must name one of them in {@code aud}
     * @param algorithms JWS algorithms accepted; asymmetric only (HS* and none are refused)
     * @param tenantId when set, the {@code tid} claim must equal it (Entra)
     */
    public record Bearer(
            @DefaultValue("false") boolean enabled,
            @Nullable URI issuerUri,
            @Nullable URI jwkSetUri,
            @Nullable List<String> audiences,
            @DefaultValue({"RS256", "ES256"}) List<String> algorithms,
            @DefaultValue("groups") String groupsClaim,
            @DefaultValue("roles") String rolesClaim,
            @Nullable String tenantId,
            @DefaultValue("60s") Duration clockSkew) {
    }

    /**
     * The SAML 2.0 service provider.
     *
     * @param entityId the SP entity ID; default {@code <base-url>/saml/metadata}
     * @param idpMetadataUrl IdP metadata over HTTPS (or http on loopback, for tests); exactly one of url and file
     * @param groupsAttribute the attribute whose values are mapped to roles
     * @param clockSkew allowed clock difference for NotBefore/NotOnOrAfter, at most 5 minutes
     * @param allowIdpInitiated accept responses without InResponseTo (IdP-initiated login); off by default because it
     *     removes the binding between a login and the browser that started it
     */
    public record Saml(
            @DefaultValue("false") boolean enabled,
            @Nullable String entityId,
            @Nullable URI idpMetadataUrl,
            @Nullable Path idpMetadataFile,
            @DefaultValue("groups") String groupsAttribute,
            @Nullable String displayNameAttribute,
            @Nullable String emailAttribute,
            @DefaultValue("60s") Duration clockSkew,
            @DefaultValue("false") boolean allowIdpInitiated,
            @DefaultValue("SAML") String displayName) {
    }

    /**
     * One line of {@code warden.sso.role-mappings}.
     *
     * @param group the IdP group name/id, Entra app role value or SAML group attribute value
     * @param role {@code admin}, {@code key-manager}, {@code auditor} or {@code viewer}
     * @param team the team the role is limited to; absent for a global grant
     * @param models models the holder's keys may allow (absent = any)
     * @param providers providers the holder's keys may allow (absent = any)
     * @param maxBudgetUsd the largest budget the holder may give a key (absent = unlimited)
     */
    public record RoleMappingEntry(
            @Nullable String group,
            @Nullable String role,
            @Nullable String team,
            @Nullable List<String> models,
            @Nullable List<String> providers,
            @Nullable BigDecimal maxBudgetUsd) {
    }

    /** The role mappings as domain objects; call after {@link #validate()}. */
    public List<RoleMapping> roleMappingList() {
        List<RoleMapping> result = new ArrayList<>();
        for (RoleMappingEntry entry : roleMappings) {
            RoleGrant grant = new RoleGrant(Role.parse(entry.role()), entry.team(),
                    new RoleGrant.KeyScope(
                            entry.models() == null ? Set.of() : Set.copyOf(entry.models()),
                            entry.providers() == null ? Set.of() : Set.copyOf(entry.providers()),
                            entry.maxBudgetUsd()));
            result.add(new RoleMapping(entry.group(), grant));
        }
        return result;
    }

    private static final Set<String> ASYMMETRIC_JWS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    /**
     * Checks the whole configuration.
     *
     * @throws IllegalStateException listing every problem as {@code key: value (expected: ...)}
     */
    public void validate() {
        List<String> problems = new ArrayList<>();
        if (baseUrl != null && !isHttpUrl(baseUrl)) {
            problems.add("warden.sso.base-url: " + baseUrl + " (expected: an absolute http(s) URL such as https://warden.example.com)");
        }
        if (adminToken.sha256() != null && !adminToken.sha256().trim().matches("[0-9a-fA-F]{64}")) {
            problems.add("warden.sso.admin-token.sha256: " + adminToken.sha256().trim().length()
                    + " characters (expected: 64 hex digits, the SHA-256 of the token)");
        }
        if (session.timeout().compareTo(Duration.ofMinutes(1)) < 0 || session.timeout().compareTo(Duration.ofHours(12)) > 0) {
            problems.add("warden.sso.session.timeout: " + session.timeout() + " (expected: 1m..12h)");
        }
        String sameSite = session.sameSite().toLowerCase(Locale.ROOT);
        if (!sameSite.equals("lax") && !sameSite.equals("strict")) {
            problems.add("warden.sso.session.same-site: " + session.sameSite() + " (expected: Lax or Strict)");
        }
        if (!session.cookieName().matches("[A-Za-z0-9_-]{1,64}")) {
            problems.add("warden.sso.session.cookie-name: " + session.cookieName() + " (expected: letters, digits, _ or -)");
        }
        oidc.forEach((id, provider) -> {
            String key = "warden.sso.oidc." + id;
            if (!id.matches("[a-z0-9-]{1,32}")) {
                problems.add(key + ": registration id '" + id + "' (expected: lower-case letters, digits or -)");
            }
            if (provider.issuerUri() == null || !isHttpUrl(provider.issuerUri())) {
                problems.add(key + ".issuer-uri: " + provider.issuerUri() + " (expected: the issuer URL, e.g. https://dev-123.okta.com/oauth2/default)");
            }
            if (provider.clientId() == null || provider.clientId().isBlank()) {
                problems.add(key + ".client-id: missing (expected: the application's client id)");
            }
            if (!provider.effectiveScopes().contains("openid")) {
                problems.add(key + ".scopes: " + provider.effectiveScopes() + " (expected: to include openid)");
            }
            if (provider.kind() == ProviderKind.ENTRA && (provider.tenantId() == null || provider.tenantId().isBlank())) {
                problems.add(key + ".tenant-id: missing (expected: the Entra directory (tenant) id; kind entra requires it)");
            }
        });
        if (bearer.enabled()) {
            if (bearer.issuerUri() == null || !isHttpUrl(bearer.issuerUri())) {
                problems.add("warden.sso.bearer.issuer-uri: " + bearer.issuerUri() + " (expected: the token issuer URL)");
            }
            if (bearer.jwkSetUri() != null && !isHttpUrl(bearer.jwkSetUri())) {
                problems.add("warden.sso.bearer.jwk-set-uri: " + bearer.jwkSetUri() + " (expected: an http(s) URL)");
            }
            if (bearer.audiences() == null || bearer.audiences().isEmpty()) {
                problems.add("warden.sso.bearer.audiences: missing (expected: at least one audience, e.g. api://warden)");
            }
            if (bearer.algorithms().isEmpty()) {
                problems.add("warden.sso.bearer.algorithms: [] (expected: some of " + ASYMMETRIC_JWS + ")");
            }
            for (String alg : bearer.algorithms()) {
                if (!ASYMMETRIC_JWS.contains(alg)) {
                    problems.add("warden.sso.bearer.algorithms: " + alg + " (expected: one of " + ASYMMETRIC_JWS + "; none and HMAC are refused)");
                }
            }
            if (bearer.clockSkew().isNegative() || bearer.clockSkew().compareTo(Duration.ofMinutes(5)) > 0) {
                problems.add("warden.sso.bearer.clock-skew: " + bearer.clockSkew() + " (expected: 0s..5m)");
            }
        }
        if (saml.enabled()) {
            if (baseUrl == null) {
                problems.add("warden.sso.base-url: missing (expected: the gateway's public URL; SAML needs it for the ACS URL and entity ID)");
            }
            if ((saml.idpMetadataUrl() == null) == (saml.idpMetadataFile() == null)) {
                problems.add("warden.sso.saml.idp-metadata-url / idp-metadata-file: " + (saml.idpMetadataUrl() == null ? "neither" : "both")
                        + " set (expected: exactly one)");
            }
            if (saml.idpMetadataUrl() != null && !isTrustedMetadataUrl(saml.idpMetadataUrl())) {
                problems.add("warden.sso.saml.idp-metadata-url: " + saml.idpMetadataUrl()
                        + " (expected: an https URL; http only on loopback)");
            }
            if (saml.idpMetadataFile() != null && !Files.isReadable(saml.idpMetadataFile())) {
                problems.add("warden.sso.saml.idp-metadata-file: " + saml.idpMetadataFile() + " (expected: a readable file)");
            }
            if (saml.clockSkew().isNegative() || saml.clockSkew().compareTo(Duration.ofMinutes(5)) > 0) {
                problems.add("warden.sso.saml.clock-skew: " + saml.clockSkew() + " (expected: 0s..5m)");
            }
        }
        for (int i = 0; i < roleMappings.size(); i++) {
            RoleMappingEntry entry = roleMappings.get(i);
            String key = "warden.sso.role-mappings[" + i + "]";
            if (entry.group() == null || entry.group().isBlank()) {
                problems.add(key + ".group: missing (expected: an IdP group name, group id or app role)");
            }
            if (entry.role() == null) {
                problems.add(key + ".role: missing (expected: admin, key-manager, auditor or viewer)");
            } else {
                try {
                    Role.parse(entry.role());
                } catch (IllegalArgumentException e) {
                    problems.add(key + "." + e.getMessage());
                }
            }
            if (entry.team() != null && entry.team().isBlank()) {
                problems.add(key + ".team: '' (expected: a team name, or no team key for a global grant)");
            }
            if (entry.maxBudgetUsd() != null && entry.maxBudgetUsd().signum() < 0) {
                problems.add(key + ".max-budget-usd: " + entry.maxBudgetUsd() + " (expected: >= 0)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Warden SSO configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** The SP entity ID: configured, or {@code <base-url>/saml/metadata}. */
    public String samlEntityId() {
        return saml.entityId() != null ? saml.entityId() : trimmedBaseUrl() + "/saml/metadata";
    }

    public String samlAcsUrl() {
        return trimmedBaseUrl() + "/saml/acs";
    }

    String trimmedBaseUrl() {
        String url = String.valueOf(baseUrl);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static boolean isHttpUrl(URI uri) {
        return uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    }

    private static boolean isTrustedMetadataUrl(URI uri) {
        if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
            return true;
        }
        return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())
                || "[::1]".equals(uri.getHost()));
    }
}
