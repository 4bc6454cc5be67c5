package dev.warden.bench.run;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The median, over a phase's seconds, of each second's p50 and p99 latency. A phase's own p99 is set by its worst
 * stall (on a shared box, often the machine's); this says what a typical second looked like, which one stall cannot
 * move. Seconds with no completed request are left out.
 */
final class SecondMedians {
    private final List<Double> p50s = new ArrayList<>();
    private final List<Double> p99s = new ArrayList<>();

    void add(Histogram second) {
        if (second.getTotalCount() == 0) {
            return;
        }
        p50s.add(second.getValueAtPercentile(50) / 1000.0);
        p99s.add(second.getValueAtPercentile(99) / 1000.0);
    }

    double medianP50() {
        return median(p50s);
    }

    double medianP99() {
        return median(p99s);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Override
    public String toString() {
        return p50s.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.3f / %.3f", medianP50(), medianP99());
    }
}
