package dev.warden.sso.oidc;

import dev.warden.sso.WardenSsoProperties.Bearer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;

/**
 * The decoder for admin-API bearer JWTs: keys from the issuer's JWKS, only the configured asymmetric algorithms (so
 * {@code alg: none} and HS256-with-the-public-key confusion fail before any claim is read), and validators for
 * issuer, audience, and expiry, which must be present.
 */
public final class BearerJwtDecoders {

    private BearerJwtDecoders() {
    }

    /**
     * A decoder that fetches the issuer's discovery document and JWKS on first use, not at startup (an IdP outage must
     * not stop the gateway from starting); a failed first use is retried on the next token.
     */
    public static JwtDecoder create(Bearer bearer) {
        return new JwtDecoder() {
            private volatile @Nullable JwtDecoder delegate;

            @Override
            public Jwt decode(String token) {
                JwtDecoder current = delegate;
                if (current == null) {
                    synchronized (this) {
                        current = delegate;
                        if (current == null) {
                            try {
                                current = build(bearer);
                            } catch (RuntimeException e) {
                                // An unreachable IdP is a 401 for this token (and an audited failure), not a 500.
                                throw new org.springframework.security.authentication.AuthenticationServiceException(
                                        "cannot load the signing keys of warden.sso.bearer.issuer-uri=" + bearer.issuerUri()
                                                + ": " + e.getMessage(), e);
                            }
                            delegate = current;
                        }
                    }
                }
                return current.decode(token);
            }
        };
    }

    private static JwtDecoder build(Bearer bearer) {
        String issuer = String.valueOf(bearer.issuerUri());
        NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = bearer.jwkSetUri() != null
                ? NimbusJwtDecoder.withJwkSetUri(bearer.jwkSetUri().toString())
                : NimbusJwtDecoder.withIssuerLocation(issuer);
        builder.jwsAlgorithms(algorithms -> {
            algorithms.clear();
            for (String alg : bearer.algorithms()) {
                algorithms.add(Objects.requireNonNull(SignatureAlgorithm.from(alg), alg));
            }
        });
        NimbusJwtDecoder decoder = builder.build();

        JwtTimestampValidator timestamps = new JwtTimestampValidator(bearer.clockSkew());
        // A bearer token without exp would be valid forever.
        timestamps.setAllowEmptyExpiryClaim(false);
        List<String> audiences = bearer.audiences() == null ? List.of() : List.copyOf(bearer.audiences());
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps);
        validators.add(new JwtIssuerValidator(issuer));
        validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
        validators.add(jwt -> jwt.getExpiresAt() != null
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "token has no exp claim", null)));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }
}
