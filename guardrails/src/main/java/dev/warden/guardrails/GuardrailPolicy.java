package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which guardrails run, in what order, on which direction, in what mode, within what time, and what happens when
 * one cannot answer. One policy per key, team or route; the gateway picks it and builds a {@link GuardrailChain}.
 *
 * <p>Order is read, not computed: steps run in list order, and every later step sees the text as redacted by the
 * earlier ones. Put local PII redaction first, so vendors never receive the raw values.
 *
 * @param name the policy's name, for errors and the ledger
 * @param steps the guardrails to run, in order
 */
public record GuardrailPolicy(String name, List<Step> steps) {

    /** What a step's verdicts do to the traffic. */
    public enum Mode {
        /** Strictest: a Block blocks, and a Redact blocks too (the request carried something it must not). */
        ENFORCE,
        /** A Block blocks; a Redact rewrites the text and lets it through. */
        REDACT,
        /** Record only: verdicts go to the ledger, the traffic is untouched, failures never block. */
        MONITOR
    }

    /** What happens when a guardrail times out or its vendor fails. */
    public enum OnFailure {
        /** Block the traffic. The default: a regulated policy must not let unchecked text through. */
        FAIL_CLOSED,
        /** Record the failure and carry on as if the guardrail had allowed. */
        FAIL_OPEN
    }

    /**
     * One guardrail in a policy.
     *
     * @param guardrail the {@link Guardrail#name()} to run
     * @param directions on input, output or both
     * @param mode enforce, redact or monitor
     * @param timeout time budget for one call; on expiry the call is cancelled and {@code onFailure} applies
     * @param onFailure fail-closed (default) or fail-open
     */
    public record Step(String guardrail, Set<Direction> directions, Mode mode, Duration timeout, OnFailure onFailure) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

        public Step {
            requireNonNull(guardrail, "guardrail");
            if (guardrail.isBlank()) {
                throw new IllegalArgumentException("guardrail: '" + guardrail + "' (expected: a guardrail name)");
            }
            directions = Set.copyOf(requireNonNull(directions, "directions"));
            if (directions.isEmpty()) {
                throw new IllegalArgumentException(
                        "directions of " + guardrail + ": [] (expected: INPUT, OUTPUT or both)");
            }
            requireNonNull(mode, "mode");
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(
                        "timeout of " + guardrail + ": " + timeout + " (expected: PT0.001S..PT5M)");
            }
            requireNonNull(onFailure, "onFailure");
        }

        /** A step on both directions, in REDACT mode, with the default timeout, failing closed. */
        public static Step of(String guardrail) {
            return new Step(guardrail, EnumSet.allOf(Direction.class), Mode.REDACT, DEFAULT_TIMEOUT,
                    OnFailure.FAIL_CLOSED);
        }

        public Step on(Direction first, Direction... more) {
            return new Step(guardrail, EnumSet.of(first, more), mode, timeout, onFailure);
        }

        public Step mode(Mode newMode) {
            return new Step(guardrail, directions, newMode, timeout, onFailure);
        }

        public Step timeout(Duration newTimeout) {
            return new Step(guardrail, directions, mode, newTimeout, onFailure);
        }

        public Step onFailure(OnFailure newOnFailure) {
            return new Step(guardrail, directions, mode, timeout, newOnFailure);
        }

        public boolean appliesTo(Direction direction) {
            return directions.contains(direction);
        }
    }

    public GuardrailPolicy {
        requireNonNull(name, "name");
        steps = List.copyOf(requireNonNull(steps, "steps"));
        Set<String> seen = new HashSet<>();
        for (Step s : steps) {
            if (!seen.add(s.guardrail())) {
                throw new IllegalArgumentException("policy " + name + ": guardrail '" + s.guardrail()
                        + "' appears twice (expected: each guardrail at most once)");
            }
        }
    }

    public static GuardrailPolicy of(String name, Step... steps) {
        return new GuardrailPolicy(name, List.of(steps));
    }

    /**
     * The default policy of {@code warden redact} and of keys without a policy: local PII redaction with typed
     * placeholders on input and output, failing closed.
     */
    public static GuardrailPolicy defaultPolicy() {
        return of("default", Step.of(dev.warden.guardrails.pii.PiiRedactionGuardrail.NAME));
    }

    /** The steps that apply to one direction, in order. */
    public List<Step> stepsFor(Direction direction) {
        List<Step> out = new ArrayList<>(steps.size());
        for (Step s : steps) {
            if (s.appliesTo(direction)) {
                out.add(s);
            }
        }
        return out;
    }
}
