package dev.warden.bench.run;

import dev.warden.bench.load.LoadResult;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders the comparison as Markdown tables, so the output can go into a README or an issue note unchanged. */
final class Table {
    private Table() {
    }

    static String render(List<CompareCommand.Row> rows, Instant began, String label) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(label.isBlank() ? "Run" : label).append(" (").append(began).append(")\n\n");
        out.append("Latencies in ms from the intended send time (coordinated-omission corrected). "
                + "\"added\" = this target minus direct at the same percentile, same run. Stall attribution, p99 / max"
                + " ms: send lag = the load generator late writing a request (intended start to written, less conn"
                + " wait), conn wait = a due request waiting for a free connection (all busy: the target), gen / upstream"
                + " loop lag = the load generator's / fake upstream's event loop late on its 1 ms heartbeat, hiccup = a"
                + " harness thread's oversleep of 1 ms sleeps. Median second p50 / p99 = the median, over the phase's"
                + " seconds, of each second's p50 and p99: what a typical second looked like, which one stall cannot"
                + " move. Every phase starts with a lead-in on its own connections that is not recorded. Ledger fsync ="
                + " Warden's own metric over the lead-in and the phase: the fsync of one group commit, p50 / p99 ms"
                + " (entries made durable per fsync, fsyncs per second); every request waits for one.\n\n");
        out.append("| target | mode | rate req/s | achieved ok/s | errors | p50 | p99 | p99.9 | max "
                + "| median second p50 / p99 | added p50 | added p99 | TTFT p50 | TTFT p99 | TTFT added p50 | TTFT added p99 "
                + "| x-warden-overhead p50/p99 | ledger fsync p50/p99 (entries, rate) | CPU µs/req | RSS MiB (peak) | load avg "
                + "| send lag p99/max | conn wait p99/max | gen loop lag p99/max | upstream lag p99/max "
                + "| hiccup p99/max |\n");
        out.append("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
                + "|---:|---:|---:|---:|---:|\n");
        for (CompareCommand.Row row : rows) {
            LoadResult r = row.result();
            Optional<LoadResult> direct = rows.stream()
                    .filter(d -> d.target().equals("direct") && d.mode().equals(row.mode()))
                    .map(CompareCommand.Row::result).findFirst();
            boolean stream = row.mode().equals("stream");
            out.append("| ").append(row.target())
                    .append(" | ").append(row.mode())
                    .append(" | ").append(row.rate())
                    .append(" | ").append(fmt1(r.achievedRate()))
                    .append(" | ").append(r.errorCount() == 0 ? "0" : r.errorCount() + " " + r.errors())
                    .append(" | ").append(ms(LoadResult.ms(r.latency(), 50)))
                    .append(" | ").append(ms(LoadResult.ms(r.latency(), 99)))
                    .append(" | ").append(ms(LoadResult.ms(r.latency(), 99.9)))
                    .append(" | ").append(ms(LoadResult.ms(r.latency(), 100)))
                    .append(" | ").append(row.seconds())
                    .append(" | ").append(added(r, direct, 50, false))
                    .append(" | ").append(added(r, direct, 99, false))
                    .append(" | ").append(stream ? ms(LoadResult.ms(r.ttft(), 50)) : "")
                    .append(" | ").append(stream ? ms(LoadResult.ms(r.ttft(), 99)) : "")
                    .append(" | ").append(stream ? added(r, direct, 50, true) : "")
                    .append(" | ").append(stream ? added(r, direct, 99, true) : "")
                    .append(" | ").append(r.overhead().getTotalCount() == 0 ? "" :
                            ms(LoadResult.ms(r.overhead(), 50)) + " / " + ms(LoadResult.ms(r.overhead(), 99)))
                    .append(" | ").append(row.ledger())
                    .append(" | ").append(row.cpuMicros())
                    .append(" | ").append(row.rss().mib()).append(" (").append(row.rss().peakMib()).append(")")
                    .append(" | ").append(row.load())
                    .append(" | ").append(StallMeters.p99Max(r.sendLag()))
                    .append(" | ").append(StallMeters.p99Max(r.connWait()))
                    .append(" | ").append(StallMeters.p99Max(r.loopLag()))
                    .append(" | ").append(StallMeters.p99Max(row.stalls().upstreamLag()))
                    .append(" | ").append(StallMeters.p99Max(row.stalls().hiccup()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String added(LoadResult r, Optional<LoadResult> direct, double p, boolean ttft) {
        if (direct.isEmpty() || direct.get() == r) {
            return direct.isPresent() ? "—" : "";
        }
        double mine = LoadResult.ms(ttft ? r.ttft() : r.latency(), p);
        double base = LoadResult.ms(ttft ? direct.get().ttft() : direct.get().latency(), p);
        return String.format(Locale.ROOT, "%+.3f", mine - base);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
