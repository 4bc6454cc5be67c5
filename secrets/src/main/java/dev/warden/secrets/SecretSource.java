package dev.warden.secrets;

/**
 * One secret backend, registered with {@link SecretResolver.Builder#source} under its {@link #scheme()}.
 *
 * <p>A source only fetches: caching, refresh ahead of expiry, serve-stale, timeouts and metrics are the resolver's.
 * Contract, checked by {@code SecretSourceContract}:
 * <ul>
 *   <li>{@link #fetch} returns a new {@link SecretValue} the caller owns, or throws a {@link SecretException}
 *       subtype: {@link SecretNotFoundException} (no such secret, version or field),
 *       {@link SecretAccessDeniedException} (authentication or authorisation refused),
 *       {@link SecretBackendException} (unreachable, 5xx, throttled, unreadable answer). Never returns null.</li>
 *   <li>No message, log line or chained cause contains the value. When a client library's exception might quote
 *       a payload, chain {@link SecretException#redacted} instead.</li>
 *   <li>{@link #fetch} is called concurrently for different references and may be interrupted on timeout.</li>
 * </ul>
 */
public interface SecretSource extends AutoCloseable {

    /** The reference scheme this source answers, e.g. {@code vault}; lower case. */
    String scheme();

    /**
     * Checks a reference's backend-specific syntax without any network call, so bad configuration fails at startup.
     *
     * @throws InvalidSecretReferenceException naming what was expected
     */
    void validate(SecretReference reference);

    /** Reads the current value. See the class contract for the exceptions. */
    SecretValue fetch(SecretReference reference);

    /**
     * Whether the backend answers, without reading any secret. An answer that refuses us (401/403) still proves
     * reachability and is reported as such. The default says nothing is known.
     */
    default SecretSourceHealth probe() {
        return SecretSourceHealth.unknown(scheme(), "this source has no health probe");
    }

    /** Releases clients and connections. */
    @Override
    default void close() {
    }
}
