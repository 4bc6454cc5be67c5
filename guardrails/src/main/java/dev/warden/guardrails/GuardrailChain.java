package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link GuardrailPolicy} over an {@link Inspection}.
 *
 * <p>Steps run one after the other in policy order, each on the text as redacted by the steps before it (so a
 * vendor behind local PII redaction never sees the raw values). Each call runs on a virtual thread and is bounded
 * by its step's timeout; on timeout the call is interrupted. A guardrail that {@linkplain Guardrail#runsInline()
 * runs inline} (no I/O, work bounded by the text) is called on the caller's thread instead, without a timeout. A Block that is enforced stops the chain: later
 * guardrails do not run, and the outcome names the culprit.
 *
 * <p>The gateway calls {@link #run} from its guard-input stage and again from its guard-output stage with the same
 * {@link InspectionContext}. Thread-safe; one chain per policy can serve all requests.
 */
public final class GuardrailChain {

    /** Category of the Block produced when a fail-closed guardrail times out or fails. */
    public static final String UNAVAILABLE = "GUARDRAIL_UNAVAILABLE";

    private static final ExecutorService SHARED = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("guardrail-", 0).factory());

    private final GuardrailPolicy policy;
    private final Map<String, Guardrail> guardrails;
    private final ExecutorService executor;

    private GuardrailChain(GuardrailPolicy policy, Map<String, Guardrail> guardrails, ExecutorService executor) {
        this.policy = policy;
        this.guardrails = guardrails;
        this.executor = executor;
    }

    /**
     * Builds the chain for a policy from the available guardrails.
     *
     * @throws IllegalArgumentException when the policy names a guardrail that is not available
     */
    public static GuardrailChain of(GuardrailPolicy policy, List<? extends Guardrail> available) {
        return of(policy, available, SHARED);
    }

    /** As {@link #of(GuardrailPolicy, List)}, running the calls on the given executor. */
    public static GuardrailChain of(GuardrailPolicy policy, List<? extends Guardrail> available,
            ExecutorService executor) {
        requireNonNull(policy, "policy");
        requireNonNull(available, "available");
        requireNonNull(executor, "executor");
        Map<String, Guardrail> byName = new LinkedHashMap<>();
        for (Guardrail g : available) {
            Guardrail previous = byName.put(g.name(), g);
            if (previous != null && previous != g) {
                throw new IllegalArgumentException("two guardrails are named '" + g.name()
                        + "' (expected: unique names)");
            }
        }
        Map<String, Guardrail> chosen = new LinkedHashMap<>();
        for (GuardrailPolicy.Step step : policy.steps()) {
            Guardrail g = byName.get(step.guardrail());
            if (g == null) {
                throw new IllegalArgumentException("policy " + policy.name() + " names guardrail '"
                        + step.guardrail() + "' (expected one of: " + byName.keySet() + ")");
            }
            chosen.put(step.guardrail(), g);
        }
        return new GuardrailChain(policy, Map.copyOf(chosen), executor);
    }

    public GuardrailPolicy policy() {
        return policy;
    }

    /** Runs every step that applies to the inspection's direction. Never returns null; never throws on vendor failure. */
    public ChainOutcome run(Inspection in) {
        requireNonNull(in, "in");
        Inspection current = in;
        List<GuardrailResult> results = new ArrayList<>();
        for (GuardrailPolicy.Step step : policy.stepsFor(in.direction())) {
            Guardrail guardrail = requireNonNull(guardrails.get(step.guardrail()));
            GuardrailResult result = call(guardrail, step, current);
            if (result.enforced() && result.verdict() instanceof Verdict.Redact redact) {
                current = current.withParts(apply(current.parts(), redact.spans()));
            }
            results.add(result);
            if (result.enforced() && result.verdict() instanceof Verdict.Block) {
                return new ChainOutcome(in.direction(), current.parts(), results, result);
            }
        }
        return new ChainOutcome(in.direction(), current.parts(), results, null);
    }

    private GuardrailResult call(Guardrail guardrail, GuardrailPolicy.Step step, Inspection in) {
        long started = System.nanoTime();
        if (guardrail.runsInline()) {
            Verdict verdict;
            try {
                verdict = guardrail.inspect(in);
            } catch (GuardrailException | RuntimeException e) {
                return failure(step, GuardrailResult.Status.ERROR, describe(step.guardrail(), e), started);
            }
            return decided(step, in, verdict, started);
        }
        Future<Verdict> future = executor.submit(() -> guardrail.inspect(in));
        Verdict verdict;
        try {
            verdict = future.get(step.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failure(step, GuardrailResult.Status.TIMEOUT,
                    "guardrail " + step.guardrail() + " timed out after " + step.timeout().toMillis() + "ms",
                    started);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failure(step, GuardrailResult.Status.ERROR,
                    "guardrail " + step.guardrail() + " interrupted", started);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return failure(step, GuardrailResult.Status.ERROR, describe(step.guardrail(), cause), started);
        }
        return decided(step, in, verdict, started);
    }

    /** Checks a verdict a guardrail returned and applies the step's mode to it. */
    private static GuardrailResult decided(GuardrailPolicy.Step step, Inspection in,
            @Nullable Verdict verdict, long started) {
        if (verdict == null) {
            return failure(step, GuardrailResult.Status.ERROR,
                    "guardrail " + step.guardrail() + " returned null (expected: a verdict)", started);
        }
        if (verdict instanceof Verdict.Redact redact) {
            String problem = checkSpans(in.parts(), redact.spans());
            if (problem != null) {
                return failure(step, GuardrailResult.Status.ERROR,
                        "guardrail " + step.guardrail() + " " + problem, started);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        boolean enforced = step.mode() != GuardrailPolicy.Mode.MONITOR && !(verdict instanceof Verdict.Allow);
        if (enforced && step.mode() == GuardrailPolicy.Mode.ENFORCE && verdict instanceof Verdict.Redact redact) {
            // ENFORCE treats anything worth redacting as a violation: keep the spans in the ledger through the
            // block's category, and stop the traffic.
            verdict = new Verdict.Block("found " + typesOf(redact), "SENSITIVE_DATA", 1.0);
        }
        return new GuardrailResult(step.guardrail(), step.mode(), GuardrailResult.Status.OK, verdict, elapsed,
                enforced, null);
    }

    private static String typesOf(Verdict.Redact redact) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Span s : redact.spans()) {
            counts.merge(s.entityType(), 1, Integer::sum);
        }
        return counts.toString();
    }

    private static GuardrailResult failure(GuardrailPolicy.Step step, GuardrailResult.Status status, String error,
            long started) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        boolean monitor = step.mode() == GuardrailPolicy.Mode.MONITOR;
        if (step.onFailure() == GuardrailPolicy.OnFailure.FAIL_CLOSED && !monitor) {
            return new GuardrailResult(step.guardrail(), step.mode(), status,
                    new Verdict.Block(error + " (failing closed)", UNAVAILABLE, 1.0), elapsed, true, error);
        }
        return new GuardrailResult(step.guardrail(), step.mode(), status, Verdict.allow(), elapsed, false, error);
    }

    /** The failure's own message is secret-free by the {@link Guardrail} contract; runtime exceptions are named only. */
    private static String describe(String name, Throwable t) {
        if (t instanceof GuardrailException ge) {
            return "guardrail " + name + " failed: " + ge.getMessage();
        }
        // A foreign exception's message may quote the inspected text (parsers love to), so only its type goes on.
        return "guardrail " + name + " failed: " + t.getClass().getName();
    }

    /** Null when the spans fit the parts and do not overlap; otherwise what is wrong, naming the values. */
    static @Nullable String checkSpans(List<TextPart> parts, List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::part).thenComparingInt(Span::start));
        Span previous = null;
        for (Span s : sorted) {
            if (s.part() >= parts.size()) {
                return "returned a span for part " + s.part() + " (expected: < " + parts.size() + ")";
            }
            int length = parts.get(s.part()).text().length();
            if (s.end() > length) {
                return "returned span [" + s.start() + ", " + s.end() + ") in part " + s.part()
                        + " of length " + length + " (expected: end <= length)";
            }
            if (previous != null && previous.part() == s.part() && s.start() < previous.end()) {
                return "returned overlapping spans [" + previous.start() + ", " + previous.end() + ") and ["
                        + s.start() + ", " + s.end() + ") in part " + s.part() + " (expected: disjoint spans)";
            }
            previous = s;
        }
        return null;
    }

    /**
     * Applies checked spans (in bounds, disjoint): each part is rebuilt once, front to back, so the work is linear in
     * the text plus the replacements. Replacing in place from the end moved the rest of the text once per span,
     * quadratic in a long prompt full of findings (a 9 MB prompt took 49 s).
     */
    static List<TextPart> apply(List<TextPart> parts, List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::part).thenComparingInt(Span::start));
        List<TextPart> out = new ArrayList<>(parts);
        int i = 0;
        while (i < sorted.size()) {
            int part = sorted.get(i).part();
            String original = out.get(part).text();
            StringBuilder text = new StringBuilder(original.length());
            int copied = 0;
            while (i < sorted.size() && sorted.get(i).part() == part) {
                Span s = sorted.get(i++);
                text.append(original, copied, s.start()).append(s.replacement());
                copied = s.end();
            }
            text.append(original, copied, original.length());
            out.set(part, out.get(part).withText(text.toString()));
        }
        return out;
    }
}
