/** Warden SSO: sign-in (OIDC, SAML 2.0, break-glass admin token) and authorisation for the admin API and console. */
@NullMarked
package dev.warden.sso;

import org.jspecify.annotations.NullMarked;
