package dev.warden.secrets;

/** What a forced {@link SecretResolver#refreshAll()} did for one reference. */
public sealed interface RefreshOutcome {

    SecretReference reference();

    /** A new value was fetched and replaced the cached one. */
    record Refreshed(SecretReference reference) implements RefreshOutcome {
    }

    /** The backend failed; the previous value stays cached under the usual TTL and serve-stale rules. */
    record Failed(SecretReference reference, String reason) implements RefreshOutcome {
    }
}
