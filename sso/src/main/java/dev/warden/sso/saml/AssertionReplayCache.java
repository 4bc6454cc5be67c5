package dev.warden.sso.saml;

import java.time.Instant;

/**
 * Remembers assertion IDs until they expire, so a captured SAML response cannot be posted twice. The in-memory
 * default covers one replica; with several replicas the gateway should provide a shared one (a table with a unique
 * key on the ID works), or an assertion replayed against another replica within its lifetime would pass.
 */
@FunctionalInterface
public interface AssertionReplayCache {

    /**
     * Records {@code assertionId} as used until {@code expiresAt}.
     *
     * @return true the first time, false if it was already used and has not expired: a replay
     */
    boolean markUsed(String assertionId, Instant expiresAt);
}
