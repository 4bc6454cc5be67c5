package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one guardrail did in one chain run, as recorded in the audit ledger.
 *
 * @param guardrail the guardrail's name
 * @param mode the step's mode
 * @param status whether the guardrail answered, timed out or failed
 * @param verdict the guardrail's verdict; on failure, the verdict the failure rule produced (Block when failing
 *     closed, Allow when failing open)
 * @param elapsed wall time of the call
 * @param enforced whether the verdict changed the traffic (false in MONITOR mode and for Allow)
 * @param error the failure, secret-free, when status is not OK
 */
public record GuardrailResult(
        String guardrail, GuardrailPolicy.Mode mode, Status status, Verdict verdict, Duration elapsed,
        boolean enforced, @Nullable String error) {

    /** How the call ended. */
    public enum Status { OK, TIMEOUT, ERROR }

    public GuardrailResult {
        requireNonNull(guardrail, "guardrail");
        requireNonNull(mode, "mode");
        requireNonNull(status, "status");
        requireNonNull(verdict, "verdict");
        requireNonNull(elapsed, "elapsed");
    }
}
