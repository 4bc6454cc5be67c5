package dev.warden.guardrails.cli;

import dev.warden.guardrails.RedactionVault;
import dev.warden.guardrails.pii.PiiRedactor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * PII engine benchmark: redacts 8 KB messages of mixed prose, code and logs with a realistic density of PII, and
 * prints throughput (MB/s) and latency percentiles per message.
 *
 * <pre>{@code
 * cd /work/main && mvn -q -pl guardrails compile
 * java -cp guardrails/target/classes dev.warden.guardrails.cli.PiiBenchmark [seconds]
 * }</pre>
 */
public final class PiiBenchmark {

    private static final String[] FILLER = {
        "The deployment finished without errors and the service answered health checks within 30 ms. ",
        "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": json.dumps(event)}\n",
        "2026-01-14T09:12:44.123Z INFO  request completed in 12.4 ms status=200 bytes=5120 version 1.2.3.4\n",
        "Please review the pull request and check commit 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345 before merge. ",
        "Order 1234567890123 shipped on 2025-03-14; total $1,299.00 including VAT of 19%. ",
        "Die Rechnung wurde am 14.03.2025 versandt; bitte prüfen Sie die Positionen 1 bis 12. ",
        "uuid=550e8400-e29b-41d4-a716-446655440000 port=8443 pid=31337 sha256=e3b0c44298fc1c149afbf4c8996fb924 ",
    };
    private static final String[] PII = {
        "Contact me at jane.doe@example.com or +49 30 12345678. ",
        "Card 4111 1111 1111 1111 exp 12/27. ",
        "IBAN DE89 3704 0044 0532 0130 00 for the transfer. ",
        "SSN: 123-45-6789. ",
        "client ip 203.0.113.42 connected. ",
        "export OPENAI_API_KEY=sk-proj-Ab3dE5gH7jK9mN1pQ3rS5tU7vW9xY1zA3bC5dE7f\n",
        "postgres://app:S3cr3t-Pa55@db.internal:5432/app ",
    };

    private PiiBenchmark() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        String[] messages = messages(64, 8 * 1024, new Random(42));
        PiiRedactor redactor = PiiRedactor.defaults();
        // Warm up the JIT before measuring: by count, not by time, because on a busy machine a few seconds of wall
        // time may be too few calls for the optimising compiler to finish.
        for (int round = 0; round < 100; round++) {
            for (String m : messages) {
                redactor.redact(m, new RedactionVault());
            }
        }
        int capacity = 2_000_000;
        long[] latencies = new long[capacity];
        long[] cpu = new long[capacity];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 0;
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < capacity) {
            String m = messages[n % messages.length];
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            redactor.redact(m, new RedactionVault());
            latencies[n] = System.nanoTime() - t0;
            cpu[n++] = threads.getCurrentThreadCpuTime() - c0;
            bytes += m.length();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "messages: %d x 8 KB, %.1f s%n", n, elapsed);
        System.out.printf(Locale.ROOT, "throughput: %.1f MB/s (single thread)%n", bytes / elapsed / 1e6);
        System.out.printf(Locale.ROOT, "latency per 8 KB message: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), sorted[n - 1] / 1e6);
        // On a shared machine wall time includes waiting for a core; CPU time is what the engine itself costs.
        long[] cpuSorted = Arrays.copyOf(cpu, n);
        Arrays.sort(cpuSorted);
        double cpuSeconds = Arrays.stream(cpuSorted).sum() / 1e9;
        System.out.printf(Locale.ROOT, "cpu per 8 KB message: p50 %.3f ms, p99 %.3f ms; cpu throughput %.1f MB/s%n",
                pct(cpuSorted, 0.50), pct(cpuSorted, 0.99), bytes / cpuSeconds / 1e6);
        System.out.printf(Locale.ROOT, "system load average during run: %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Messages of {@code size} chars: filler with one PII snippet about every 600 chars. */
    static String[] messages(int count, int size, Random random) {
        String[] out = new String[count];
        for (int k = 0; k < count; k++) {
            StringBuilder sb = new StringBuilder(size + 200);
            while (sb.length() < size) {
                sb.append(random.nextInt(6) == 0 ? PII[random.nextInt(PII.length)]
                        : FILLER[random.nextInt(FILLER.length)]);
            }
            sb.setLength(size);
            out[k] = sb.toString();
        }
        return out;
    }
}
