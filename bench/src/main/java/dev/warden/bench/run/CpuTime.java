package dev.warden.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time a process has used (user + system), from {@code /proc/<pid>/stat} (Linux only). The difference over a
 * phase divided by the requests served is the CPU cost of one request: on a shared box it moves far less than
 * latency does, since it counts work done, not time spent waiting for a core.
 *
 * @param ticks user + system time in clock ticks; -1 when unknown
 */
public record CpuTime(long ticks) {
    /** Linux's USER_HZ: /proc reports CPU time in hundredths of a second on every mainstream kernel. */
    static final int TICKS_PER_SECOND = 100;

    public static CpuTime of(long pid) {
        try {
            return new CpuTime(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return new CpuTime(-1); // the process is gone or this is not Linux: report unknown rather than fail
        }
    }

    /** utime + stime: fields 14 and 15, counted after the command name (which may hold spaces) in parentheses. */
    static long parse(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Microseconds of CPU per request between {@code start} and this reading; "n/a" when unknown. */
    public String microsPerRequest(CpuTime start, long requests) {
        if (ticks < 0 || start.ticks < 0 || requests <= 0) {
            return "n/a";
        }
        double micros = (ticks - start.ticks) * 1_000_000.0 / TICKS_PER_SECOND / requests;
        return String.format(Locale.ROOT, "%.0f", micros);
    }
}
