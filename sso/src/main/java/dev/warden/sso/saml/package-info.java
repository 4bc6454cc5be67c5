/** SAML 2.0 service provider: metadata, AuthnRequest, and strict validation of signed responses (xmlsec). */
@NullMarked
package dev.warden.sso.saml;

import org.jspecify.annotations.NullMarked;
