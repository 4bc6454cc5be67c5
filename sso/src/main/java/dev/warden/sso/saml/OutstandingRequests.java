package dev.warden.sso.saml;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AuthnRequest IDs sent and not yet answered; each may be answered once. Kept on the server, not in the HTTP session,
 * because the IdP posts the response cross-site and a {@code SameSite=Lax} session cookie is not sent with that POST.
 * One replica's memory: with several replicas the login must come back to the same one or the IdP-initiated setting
 * must be used (see README).
 */
public final class OutstandingRequests {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_ENTRIES = 50_000;

    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public OutstandingRequests(Clock clock) {
        this.clock = clock;
    }

    /** A fresh request ID (an NCName, as SAML requires), remembered for {@link #LIFETIME}. */
    public String issue() {
        Instant now = clock.instant();
        if (pending.size() >= MAX_ENTRIES) {
            pending.values().removeIf(expiry -> expiry.isBefore(now));
            if (pending.size() >= MAX_ENTRIES) {
                throw new IllegalStateException("too many SAML logins in progress (" + pending.size() + ")");
            }
        }
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        String id = "_" + HexFormat.of().formatHex(bytes);
        pending.put(id, now.plus(LIFETIME));
        return id;
    }

    /** True, once, if {@code id} was issued here and has not expired. */
    public boolean consume(String id) {
        Instant expiry = pending.remove(id);
        return expiry != null && !expiry.isBefore(clock.instant());
    }
}
