package dev.warden.guardrails.bench;

import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.GuardrailChain;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.GuardrailPolicy.Step;
import dev.warden.guardrails.pii.PiiRedactionGuardrail;
import dev.warden.guardrails.testing.Inspections;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the input guardrail chain (the default PII policy) on one long prompt, as a coding agent sends when it
 * pastes a log or a file: prompts of growing size, clean and full of findings (an e-mail address and a phone number
 * every ~100 characters). The time per MB must stay flat as the prompt grows; a step that is quadratic in the number
 * of findings shows as MB/s falling with size. Needs only the module's classes:
 *
 * <pre>
 * mvn -q -pl guardrails test-compile &amp;&amp; \
 *   java -cp guardrails/target/classes:guardrails/target/test-classes \
 *     dev.warden.guardrails.bench.RedactionBenchmark [sizesMb=0.1,1,4,9] [rounds=3]
 * </pre>
 */
public final class RedactionBenchmark {
    private static final String DIRTY = "lorem ipsum dolor sit amet, consectetur adipiscing elit; call me at 555-0100 "
            + "or mail bob@example.com ";
    private static final String CLEAN = "the quick brown fox jumps over the lazy dog while the build runs again ";

    private RedactionBenchmark() {}

    public static void main(String[] args) {
        String[] sizes = arg(args, "sizesMb", "0.1,1,4,9").split(",");
        int rounds = Integer.parseInt(arg(args, "rounds", "3"));
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("default", Step.of(PiiRedactionGuardrail.NAME)),
                List.of(PiiRedactionGuardrail.defaults()));
        System.out.println("| prompt | size | findings | best of " + rounds + " | MB/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String kind : List.of("clean", "dirty")) {
            for (String size : sizes) {
                int chars = (int) (Double.parseDouble(size) * 1024 * 1024);
                String unit = kind.equals("clean") ? CLEAN : DIRTY;
                String prompt = unit.repeat(chars / unit.length() + 1).substring(0, chars);
                long best = Long.MAX_VALUE;
                int findings = 0;
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    ChainOutcome outcome = chain.run(Inspections.input(prompt));
                    best = Math.min(best, System.nanoTime() - t0);
                    findings = outcome.parts().getFirst().text().split("\\[", -1).length - 1;
                }
                double ms = best / 1e6;
                System.out.printf(Locale.ROOT, "| %s | %s MB | %d | %.1f ms | %.1f |%n", kind, size, findings, ms,
                        chars / 1024.0 / 1024.0 / (ms / 1000));
            }
        }
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
