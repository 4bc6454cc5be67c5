package dev.warden.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one run. Histograms are in microseconds. {@code latency} is measured from each request's
 * <em>intended</em> start, so a stalled target cannot hide its stall by slowing the load down (coordinated omission).
 *
 * @param ttft     time to the first SSE {@code data:} line, from the intended start (streams only)
 * @param overhead the gateway's own {@code x-warden-overhead-ms} header, where it sent one
 * @param sendLag  the generator's own lateness: how long after its intended start each request was written, less
 *                 the time it waited for a free connection (with every connection busy, the wait is the target's)
 * @param connWait how long each request waited for a free connection after it fell due (all busy: a slow target);
 *                 sendLag + connWait is the part of a latency spent before the target could see the request
 * @param loopLag  the generator's event-loop lag ({@link dev.warden.bench.lag.LoopLagMeter}); empty for the threaded
 *                 engine, which has no event loop
 */
public record LoadResult(
        long intended,
        long ok,
        Map<String, Long> errors,
        double elapsedSeconds,
        Histogram latency,
        Histogram ttft,
        Histogram overhead,
        Histogram sendLag,
        Histogram connWait,
        Histogram loopLag) {

    public LoadResult {
        errors = new TreeMap<>(errors);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double achievedRate() {
        return elapsedSeconds <= 0 ? 0 : ok / elapsedSeconds;
    }

    public static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
