package dev.warden.bench.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, {@code --name=value} and bare {@code --flag}. Every option a command
 * reads must be declared, so a typo ({@code --duraton 20}) stops the run instead of silently using a default.
 */
public final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> multi = new ArrayList<>();

    private Options() {
    }

    public static Options parse(String[] args, Set<String> known, Set<String> flags) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a + " (expected: --option value)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + ": missing value");
            }
            if (!known.contains(name) && !flags.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(union(known, flags))) + ")");
            }
            if (name.equals("header")) {
                o.multi.add(value);
            } else {
                o.values.put(name, value);
            }
        }
        return o;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": " + v + " (expected: an integer " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + name + ": " + n + " (expected: " + min + ".." + max + ")");
        }
        return n;
    }

    public Duration seconds(String name, int fallback, int min, int max) {
        return Duration.ofSeconds(integer(name, fallback, min, max));
    }

    public Duration millis(String name, int fallback) {
        return Duration.ofMillis(integer(name, fallback, 0, 600_000));
    }

    public List<String> headers() {
        return List.copyOf(multi);
    }
}
