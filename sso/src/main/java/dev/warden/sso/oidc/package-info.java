/** OpenID Connect: console login (authorization code + PKCE) and bearer JWTs for automation; Okta and Entra ID specifics. */
@NullMarked
package dev.warden.sso.oidc;

import org.jspecify.annotations.NullMarked;
