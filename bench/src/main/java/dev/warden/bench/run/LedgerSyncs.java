package dev.warden.bench.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Warden's ledger fsyncs over a phase, from its own metrics ({@code warden_ledger_sync_seconds} and
 * {@code warden_ledger_sync_entries} on {@code /actuator/prometheus}), read before a phase's lead-in and after its
 * measured window, so the figures cover both (the same load). Not at the window's start: a scrape costs the gateway
 * 20-130 ms of CPU, which showed as a stall in the window's first second. The fsync is the floor under every durable
 * append, so the table shows what the disk took in the same run as the latencies it bounds.
 *
 * @param buckets cumulative counts of the fsync histogram by upper bound in seconds (the {@code +Inf} one included)
 * @param syncs fsyncs so far; {@code seconds} their total time; {@code entries} the entries they made durable
 */
record LedgerSyncs(TreeMap<Double, Double> buckets, double syncs, double seconds, double entries) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final LedgerSyncs NONE = new LedgerSyncs(new TreeMap<>(), 0, 0, 0);

    /** Reads the gateway's metrics; {@link #NONE} when they cannot be had (the table then shows nothing). */
    static LedgerSyncs scrape(InetSocketAddress metrics) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                            "http://" + metrics.getHostString() + ":" + metrics.getPort() + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : NONE;
        } catch (IOException e) {
            return NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NONE;
        }
    }

    /** The samples of the two metrics in a Prometheus text exposition; other lines are ignored. */
    static LedgerSyncs parse(String exposition) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double syncs = 0;
        double seconds = 0;
        double entries = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            if (line.startsWith("warden_ledger_sync_seconds_bucket{")) {
                int le = line.indexOf("le=\"");
                if (le >= 0) {
                    String bound = line.substring(le + 4, line.indexOf('"', le + 4));
                    buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value,
                            Double::sum);
                }
            } else if (line.startsWith("warden_ledger_sync_seconds_count")) {
                syncs += value;
            } else if (line.startsWith("warden_ledger_sync_seconds_sum")) {
                seconds += value;
            } else if (line.startsWith("warden_ledger_sync_entries_sum")) {
                entries += value;
            }
        }
        return new LedgerSyncs(buckets, syncs, seconds, entries);
    }

    /**
     * What happened between {@code before} and this reading, e.g. {@code "0.41 / 1.90 (3.2, 1,480/s)"}: fsync p50 /
     * p99 in ms (interpolated within the histogram's buckets, as Prometheus' {@code histogram_quantile} does), then
     * entries per fsync and fsyncs per second. Empty when either reading is missing or no fsync happened.
     */
    String since(LedgerSyncs before, Duration phase) {
        double count = syncs - before.syncs;
        if (this == NONE || before == NONE || count <= 0 || buckets.isEmpty()) {
            return "";
        }
        TreeMap<Double, Double> delta = new TreeMap<>();
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            delta.put(b.getKey(), b.getValue() - before.buckets.getOrDefault(b.getKey(), 0.0));
        }
        return String.format(Locale.ROOT, "%.2f / %.2f (%.1f, %,.0f/s)", quantile(delta, 0.50) * 1000,
                quantile(delta, 0.99) * 1000, (entries - before.entries) / count,
                count / Math.max(0.001, phase.toMillis() / 1000.0));
    }

    /** The q-quantile of a cumulative histogram, linear within its bucket; at most the last finite bound. */
    static double quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = b.getValue() - lowerCount;
                return inBucket <= 0 ? b.getKey()
                        : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return lowerBound;
    }
}
