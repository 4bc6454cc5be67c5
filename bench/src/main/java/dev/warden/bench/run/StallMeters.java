package dev.warden.bench.run;

import dev.warden.bench.lag.HiccupMeter;
import dev.warden.bench.load.LoadGenerator;
import dev.warden.bench.load.LoadResult;
import dev.warden.bench.upstream.FakeUpstream;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Stall attribution for a run: what the harness and the machine suffered while a target was measured, so that a
 * latency spike can be charged to the right process. Beside the load generator's own meters (send lag and event-loop
 * lag, in {@link LoadResult}), it keeps a {@link HiccupMeter} in this JVM and asks the fake upstream for its
 * event-loop lag ({@code GET /stats}) once a second. Sampled from the generator's per-second callback, so all meters
 * cover the same seconds; {@link #begin()} starts a measured phase.
 */
final class StallMeters implements AutoCloseable {

    /** One span of time (a second, a soak interval, a phase): µs histograms; {@code upstreamLag} null when unknown. */
    record Sample(Histogram hiccup, Histogram upstreamLag, Histogram upstreamBusy, Histogram upstreamGap) {
        static Sample empty() {
            return new Sample(new Histogram(3), new Histogram(3), new Histogram(3), new Histogram(3));
        }

        void add(Sample s) {
            hiccup.add(s.hiccup);
            if (s.upstreamLag != null) {
                upstreamLag.add(s.upstreamLag);
                upstreamBusy.add(s.upstreamBusy);
                upstreamGap.add(s.upstreamGap);
            }
        }
    }

    private final HiccupMeter hiccup = HiccupMeter.start();
    private int upstreamPort = -1;
    private Sample phase = Sample.empty();
    private Sample interval = Sample.empty();
    private boolean upstreamAnswered;

    /** The fake upstream to ask for its event-loop lag. */
    void upstream(int port) {
        this.upstreamPort = port;
    }

    /** A measured phase starts now: what was recorded before (warm-up, pauses between phases) is dropped. */
    void begin() {
        hiccup.interval();
        upstreamAnswered = fetchUpstream() != null;
        phase = Sample.empty();
        interval = Sample.empty();
    }

    /** The generator cut a second: the same second of the other meters, added to the phase and the interval. */
    Sample second() {
        FakeUpstream.Stats up = fetchUpstream();
        Sample s = new Sample(hiccup.interval(), up == null ? null : up.lag(), up == null ? null : up.busy(),
                up == null ? null : up.gap());
        phase.add(s);
        interval.add(s);
        return s;
    }

    /** The soak interval since the previous call. */
    Sample interval() {
        Sample s = interval;
        interval = Sample.empty();
        return s;
    }

    /** The whole phase (after the run's last, partial second). */
    Sample phase() {
        return upstreamAnswered ? phase : new Sample(phase.hiccup(), null, null, null);
    }

    /** The upstream's lag and busy time since the last call, or null (threaded engine, or it did not answer). */
    private FakeUpstream.Stats fetchUpstream() {
        if (upstreamPort < 0) {
            return null;
        }
        // One short connection a second to the upstream's own event loop: negligible next to thousands of requests.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200") || body < 0) {
                return null;
            }
            return FakeUpstream.stats(response.substring(body + 4));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code "p99 / max"} in ms, or empty when nothing was recorded. */
    static String p99Max(Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f", h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** Max in ms with 3 decimals, or empty when nothing was recorded. */
    static String maxMs(Histogram h) {
        return h == null || h.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, "%.3f", h.getMaxValue() / 1000.0);
    }

    @Override
    public void close() {
        hiccup.close();
    }
}
