package dev.warden.sso.rbac;

/** How a principal proved who it is. Recorded in the audit ledger with every security event. */
public enum AuthenticationMethod {
    /** The bootstrap admin token: break-glass only. */
    ADMIN_TOKEN,
    /** A console session started by OIDC login (authorization code + PKCE). */
    OIDC_SESSION,
    /** An OIDC access token (JWT) presented as {@code Authorization: Bearer}, for automation. */
    OIDC_BEARER,
    /** A console session started by a SAML 2.0 assertion. */
    SAML_SESSION,
    /**
     * A console session started by presenting the bootstrap admin token on the sign-in page ({@code POST /login/token}):
     * break-glass too, for gateways without an IdP. Kept apart from {@link #ADMIN_TOKEN} so the ledger tells a session
     * from a bearer request.
     */
    ADMIN_TOKEN_SESSION
}
