package dev.warden.bench.run;

import dev.warden.bench.load.LoadGenerator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimelineTest {

    private static Histogram of(long... micros) {
        Histogram h = new Histogram(3);
        for (long v : micros) {
            h.recordValue(v);
        }
        return h;
    }

    private static LoadGenerator.Second second() {
        return new LoadGenerator.Second(1_765_000_000_123L, 12.0, 1.0, 4998, 2, of(900, 1000, 1100, 150_000),
                of(10, 20, 120_000), of(0, 0, 30_000), of(300, 1_100));
    }

    @Test
    void oneCsvLinePerSecondWithItsUtcStart() {
        StallMeters.Sample meters = new StallMeters.Sample(of(50, 9_000), of(800, 1_200), of(40, 2_000),
                of(200, 95_000));
        assertEquals("2025-12-06T05:46:40.123Z,1765000000123,warden,plain,12.000,4998,2,1.000,150.015,150.015,"
                        + "120.063,30.015,1.100,1.200,2.000,95.039,9.007",
                Timeline.line("warden", "plain", second(), meters));
    }

    @Test
    void unmeasuredColumnsAreEmpty() {
        // The threaded engine's upstream does not answer /stats.
        StallMeters.Sample meters = new StallMeters.Sample(of(50), null, null, null);
        LoadGenerator.Second noLoop = new LoadGenerator.Second(0, 0, 1, 0, 0, new Histogram(3), new Histogram(3),
                new Histogram(3), new Histogram(3));
        assertEquals("1970-01-01T00:00:00Z,0,direct,stream,0.000,0,0,,,,,,,,,,0.050",
                Timeline.line("direct", "stream", noLoop, meters));
    }

    @Test
    void theFileStartsWithItsHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/timeline.csv");
        try (Timeline t = Timeline.open(file.toString())) {
            t.write("direct", "plain", second(), StallMeters.Sample.empty());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals(Timeline.HEADER, lines.get(0));
        assertEquals(Timeline.HEADER.split(",").length, lines.get(1).split(",", -1).length, lines.get(1));
        assertEquals(null, Timeline.open(" "), "no file asked for, no timeline");
    }
}
