package dev.warden.bench;

import java.util.Locale;

/**
 * How the load generator and the fake upstream do their I/O.
 *
 * <ul>
 *   <li>{@link #NIO} (default): one {@code java.nio} event loop each, non-blocking sockets, no thread hand-off per
 *       request. The load generator adds one pacer thread per loop (see {@code NioLoadGenerator}).</li>
 *   <li>{@link #THREADS}: the original implementations, kept to measure the difference: 128 platform worker threads
 *       fed by a scheduler thread on blocking sockets; an upstream with one virtual thread per connection.</li>
 * </ul>
 */
public enum Engine {
    NIO, THREADS;

    public static Engine parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "nio" -> NIO;
            case "threads" -> THREADS;
            default -> throw new IllegalArgumentException("--engine: " + s + " (expected: nio, threads)");
        };
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
