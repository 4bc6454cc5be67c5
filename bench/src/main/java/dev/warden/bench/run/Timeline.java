package dev.warden.bench.run;

import dev.warden.bench.load.LoadGenerator;
import dev.warden.bench.load.LoadResult;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * The per-second timeline of a run ({@code --timeline FILE}): one CSV line per second of every measured phase, with
 * the wall-clock start of the second in UTC so that a stall can be matched against GC logs, profiles and JFR
 * recordings of any process. Latencies in ms; a response counts in the second it completed. Columns:
 *
 * <pre>
 * utc, epoch_ms, target, mode, t_s, ok, errors, p50_ms, p99_ms, max_ms,
 * send_lag_max_ms, conn_wait_max_ms, gen_loop_lag_max_ms, upstream_lag_max_ms, upstream_busy_max_ms,
 * upstream_gap_max_ms, hiccup_max_ms
 * </pre>
 *
 * {@code upstream_gap_max_ms} is the longest time without a request reaching the upstream: a gateway that stalls
 * before forwarding shows it there; one that stalls on the way back does not.
 *
 * An empty cell means not measured (the threaded engine has no event loops to meter).
 */
final class Timeline implements AutoCloseable {
    static final String HEADER = "utc,epoch_ms,target,mode,t_s,ok,errors,p50_ms,p99_ms,max_ms,send_lag_max_ms,"
            + "conn_wait_max_ms,gen_loop_lag_max_ms,upstream_lag_max_ms,upstream_busy_max_ms,upstream_gap_max_ms,"
            + "hiccup_max_ms";

    private final BufferedWriter out;

    private Timeline(BufferedWriter out) {
        this.out = out;
    }

    /** A timeline written to {@code file} (replaced), or null when {@code file} is blank. */
    static Timeline open(String file) throws IOException {
        if (file.isBlank()) {
            return null;
        }
        Path path = Path.of(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Timeline t = new Timeline(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
        t.out.write(HEADER);
        t.out.newLine();
        t.out.flush();
        return t;
    }

    void write(String target, String mode, LoadGenerator.Second s, StallMeters.Sample m) {
        try {
            out.write(line(target, mode, s, m));
            out.newLine();
            out.flush(); // a run cut short still leaves every second it measured
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String line(String target, String mode, LoadGenerator.Second s, StallMeters.Sample m) {
        return String.join(",", Instant.ofEpochMilli(s.startEpochMillis()).toString(),
                Long.toString(s.startEpochMillis()), target, mode,
                String.format(Locale.ROOT, "%.3f", s.offsetSeconds()), Long.toString(s.ok()), Long.toString(s.errors()),
                ms(LoadResult.ms(s.latency(), 50)), ms(LoadResult.ms(s.latency(), 99)),
                ms(LoadResult.ms(s.latency(), 100)), StallMeters.maxMs(s.sendLag()), StallMeters.maxMs(s.connWait()),
                StallMeters.maxMs(s.loopLag()),
                StallMeters.maxMs(m.upstreamLag()), StallMeters.maxMs(m.upstreamBusy()), StallMeters.maxMs(m.upstreamGap()),
                StallMeters.maxMs(m.hiccup()));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
