package dev.warden.secrets;

import java.time.Duration;
import java.util.Objects;

/**
 * Reachability of one backend, as {@code /actuator/health} shows it. Carries no values and no credentials.
 *
 * @param scheme  the source's scheme
 * @param status  UP when the backend answered (even with a refusal), DOWN when it did not, UNKNOWN without a probe
 * @param detail  a short, secret-free explanation, e.g. {@code "sealed=false, version 1.17.2"} or the network error
 * @param latency how long the probe took
 */
public record SecretSourceHealth(String scheme, Status status, String detail, Duration latency) {

    public enum Status { UP, DOWN, UNKNOWN }

    public SecretSourceHealth {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(latency, "latency");
    }

    public static SecretSourceHealth up(String scheme, String detail) {
        return new SecretSourceHealth(scheme, Status.UP, detail, Duration.ZERO);
    }

    public static SecretSourceHealth down(String scheme, String detail) {
        return new SecretSourceHealth(scheme, Status.DOWN, detail, Duration.ZERO);
    }

    public static SecretSourceHealth unknown(String scheme, String detail) {
        return new SecretSourceHealth(scheme, Status.UNKNOWN, detail, Duration.ZERO);
    }

    SecretSourceHealth withLatency(Duration took) {
        return new SecretSourceHealth(scheme, status, detail, took);
    }
}
