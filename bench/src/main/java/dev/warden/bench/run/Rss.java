package dev.warden.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from {@code /proc/<pid>/status} (Linux only). */
public record Rss(long rssKib, long peakKib) {

    public static Rss of(long pid) {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                }
            }
        } catch (IOException e) {
            // The process is gone or this is not Linux: report unknown rather than fail the run.
        }
        return new Rss(rss, hwm);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    public String mib() {
        return rssKib < 0 ? "n/a" : String.format("%.0f", rssKib / 1024.0);
    }

    public String peakMib() {
        return peakKib < 0 ? "n/a" : String.format("%.0f", peakKib / 1024.0);
    }
}
