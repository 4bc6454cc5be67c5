package dev.warden.sso.web;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.admintoken.AdminTokenVerifier;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.WardenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * {@code POST /login/token} with form field {@code token}: signs in to the console with the bootstrap admin token, for
 * gateways that have no IdP (demo mode). The form is on {@link LoginPageFilter}'s page.
 *
 * <p>The token is checked by the same {@link AdminTokenVerifier} as the bearer path (constant time, hashes only) and
 * the session holds the same global-admin principal, as {@link WardenPrincipal#adminTokenSession()} so the ledger tells
 * the two apart. Everything a sign-in needs besides the check is the chain's, configured by the caller as for SAML:
 * the CSRF filter before this one refuses a post without the {@code _csrf} field, the session strategy gives the
 * session a new id, the success handler records the {@code Login} and returns to the saved console page, and the
 * failure handler records the {@code LoginFailed} and redirects to {@code /login?error}.
 *
 * <p>Guessing is throttled per source address by {@link SignInThrottle}: after {@value #FAILED_ATTEMPTS} failures
 * within {@link #ATTEMPT_WINDOW a minute}, attempts get {@code 429} with {@code Retry-After} for the rest of that minute,
 * without the token being checked or an event recorded (an attacker must not be able to fill the ledger at line
 * rate). The failed attempt that uses up the allowance says so in its {@code LoginFailed} reason, so the
 * ledger shows when an address was blocked.
 *
 * <p>When the sign-in is off ({@code warden.sso.admin-token.enabled=false} or
 * {@code warden.sso.admin-token.console-sign-in=false}) the path answers 404 here, so the answer does not depend on
 * what the host application maps.
 */
public final class AdminTokenSignInFilter extends AbstractAuthenticationProcessingFilter {

    public static final String PATH = "/login/token";

    /** The form field that carries the token. */
    public static final String TOKEN_PARAMETER = "token";

    /** Failed attempts allowed per source address within {@link #ATTEMPT_WINDOW}; the next one gets 429. */
    public static final int FAILED_ATTEMPTS = 5;

    public static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(1);

    /** Source addresses the throttle tracks at once: bounds its memory to about a megabyte. */
    public static final int TRACKED_ADDRESSES = 10_000;

    private final @Nullable AdminTokenVerifier adminToken;
    private final SignInThrottle throttle;
    private final Clock clock;

    /**
     * @param adminToken null when the sign-in is off: every post then gets 404
     */
    public AdminTokenSignInFilter(@Nullable AdminTokenVerifier adminToken, SignInThrottle throttle, Clock clock) {
        super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, PATH));
        this.adminToken = adminToken;
        this.throttle = requireNonNull(throttle, "throttle");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public @Nullable Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response)
            throws AuthenticationException, IOException {
        if (adminToken == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return null;
        }
        String address = request.getRemoteAddr();
        switch (throttle.admit(address)) {
            case SignInThrottle.Refused refused -> {
                tooManyAttempts(response, refused.retryAfter());
                return null;
            }
            case SignInThrottle.Admitted admitted -> {
                String presented = request.getParameter(TOKEN_PARAMETER);
                // Pasted tokens often carry a trailing newline or space; the token itself never has whitespace.
                if (presented != null && adminToken.matches(presented.strip())) {
                    throttle.succeeded(address);
                    return new WardenAuthentication(WardenPrincipal.adminTokenSession());
                }
                String reason = presented == null || presented.isBlank()
                        ? "no admin token was presented" : "the presented value is not the admin token";
                if (admitted.remaining() == 0) {
                    long seconds = Math.max(1, Duration.between(clock.instant(), admitted.windowEnd()).toSeconds());
                    reason += "; too many failed attempts from this address, further attempts are refused for "
                            + seconds + "s";
                }
                throw new SignInRefusedException(reason, AuthenticationMethod.ADMIN_TOKEN_SESSION, null, null);
            }
        }
    }

    private static void tooManyAttempts(HttpServletResponse response, Duration retryAfter) throws IOException {
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(("Too many failed sign-ins from this address. Try again in "
                + retryAfter.toSeconds() + " seconds.\n").getBytes(StandardCharsets.UTF_8));
    }
}
