package dev.warden.sso.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(5, Duration.ofMinutes(1), 100, clock);

    @Test
    void admitsFiveAttemptsAMinuteAndRefusesTheSixthUntilTheMinuteIsOver() {
        for (int i = 4; i >= 0; i--) {
            clock.advance(Duration.ofSeconds(2));
            assertThat(throttle.admit("203.0.113.5")).isEqualTo(
                    new SignInThrottle.Admitted(i, Instant.parse("2026-03-01T10:01:02Z")));
        }

        clock.advance(Duration.ofMillis(10_500));
        assertThat(throttle.admit("203.0.113.5")).as("18.5 s into the window: 41.5 s left, announced as 42")
                .isEqualTo(new SignInThrottle.Refused(Duration.ofSeconds(42)));
        clock.advance(Duration.ofSeconds(41));
        assertThat(throttle.admit("203.0.113.5")).as("refusals do not extend the window")
                .isEqualTo(new SignInThrottle.Refused(Duration.ofSeconds(1)));
        clock.advance(Duration.ofMillis(500));
        assertThat(throttle.admit("203.0.113.5")).as("a new window")
                .isEqualTo(new SignInThrottle.Admitted(4, Instant.parse("2026-03-01T10:02:02Z")));
    }

    @Test
    void addressesAreCountedApart() {
        for (int i = 0; i < 5; i++) {
            throttle.admit("203.0.113.5");
        }

        assertThat(throttle.admit("203.0.113.5")).isInstanceOf(SignInThrottle.Refused.class);
        assertThat(throttle.admit("198.51.100.7")).isInstanceOf(SignInThrottle.Admitted.class);
    }

    @Test
    void aSuccessfulSignInForgetsEarlierFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.admit("203.0.113.5");
        }
        throttle.admit("203.0.113.5");
        throttle.succeeded("203.0.113.5");

        assertThat(throttle.admit("203.0.113.5")).isInstanceOfSatisfying(SignInThrottle.Admitted.class,
                admitted -> assertThat(admitted.remaining()).isEqualTo(4));
    }

    @Test
    void tracksAtMostTheConfiguredNumberOfAddressesDroppingClosedWindowsFirst() {
        SignInThrottle small = new SignInThrottle(1, Duration.ofMinutes(1), 3, clock);
        small.admit("10.0.0.1");
        clock.advance(Duration.ofSeconds(30));
        small.admit("10.0.0.2");
        small.admit("10.0.0.3");
        clock.advance(Duration.ofSeconds(31));

        // 10.0.0.1's window has closed: it goes, the others stay blocked.
        small.admit("10.0.0.4");
        assertThat(small.trackedAddresses()).isEqualTo(3);
        assertThat(small.admit("10.0.0.2")).isInstanceOf(SignInThrottle.Refused.class);
        assertThat(small.admit("10.0.0.3")).isInstanceOf(SignInThrottle.Refused.class);

        // All windows open: the oldest (10.0.0.2) is evicted rather than the map growing.
        small.admit("10.0.0.5");
        assertThat(small.trackedAddresses()).isEqualTo(3);
        assertThat(small.admit("10.0.0.3")).isInstanceOf(SignInThrottle.Refused.class);
        for (int i = 0; i < 1_000; i++) {
            small.admit("192.0.2." + i);
        }
        assertThat(small.trackedAddresses()).isEqualTo(3);
    }

    @Test
    void badLimitsAreNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> new SignInThrottle(0, Duration.ofMinutes(1), 10, clock))
                .hasMessage("maxAttempts: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new SignInThrottle(5, Duration.ZERO, 10, clock))
                .hasMessage("window: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new SignInThrottle(5, Duration.ofMinutes(1), 0, clock))
                .hasMessage("maxAddresses: 0 (expected: >= 1)");
    }

    /** A clock the test moves by hand, so windows can be crossed without sleeping. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed by the throttle");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
