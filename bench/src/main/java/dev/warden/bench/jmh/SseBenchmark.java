package dev.warden.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-chunk cost of relaying a stream: splitting an upstream SSE body into events (the gateway's reader) and
 * writing events back out (its writer). A 50-token answer is ~55 events; at 5,000 streams/s that is ~275k events/s
 * on two cores, so each microsecond here is ~14% of a core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SseBenchmark {

    private byte[] stream;
    private List<String> events;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder();
        events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String data = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4.1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token" + i
                    + "\"},\"finish_reason\":null}]}";
            events.add(data);
            sb.append("data: ").append(data).append("\n\n");
        }
        sb.append("data: [DONE]\n\n");
        stream = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Byte-level split on blank lines, decoding only the {@code data:} payloads: the cheap way. */
    @Benchmark
    public void parseBytes(Blackhole bh) {
        int start = 0;
        int lineStart = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] == '\n') {
                if (i == lineStart) { // blank line: event boundary
                    start = i + 1;
                } else if (i - lineStart > 5 && stream[lineStart] == 'd' && stream[lineStart + 4] == ':') {
                    int from = lineStart + 5;
                    if (stream[from] == ' ') {
                        from++;
                    }
                    bh.consume(new String(stream, from, i - from, StandardCharsets.UTF_8));
                }
                lineStart = i + 1;
            }
        }
        bh.consume(start);
    }

    /** Decode the whole body to a String and split lines: the convenient way, for comparison. */
    @Benchmark
    public void parseStringSplit(Blackhole bh) {
        String text = new String(stream, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("data:")) {
                bh.consume(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
    }

    /** Writing 50 events plus {@code [DONE]} into a response buffer. */
    @Benchmark
    public byte[] writeEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(stream.length);
        byte[] prefix = "data: ".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "\n\n".getBytes(StandardCharsets.US_ASCII);
        for (String e : events) {
            out.writeBytes(prefix);
            out.writeBytes(e.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(suffix);
        }
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
