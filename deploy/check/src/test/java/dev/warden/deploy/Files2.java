package dev.warden.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where deploy/ is, and small helpers to read YAML safely (no arbitrary types) and walk the resulting maps. */
final class Files2 {
    private Files2() {
    }

    static Path deployDir() {
        return Path.of(Objects.requireNonNull(System.getProperty("deploy.dir"), "system property deploy.dir"))
                .toAbsolutePath().normalize();
    }

    static Path renderedDir() {
        String dir = System.getProperty("rendered.dir");
        return dir == null ? deployDir().resolve(".out") : Path.of(dir);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadMap(Path file) {
        Object doc = yaml().load(read(file));
        if (!(doc instanceof Map)) {
            throw new AssertionError(file + ": expected a YAML mapping at the top, got " + doc);
        }
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc instanceof Map<?, ?> m) {
                docs.add((Map<String, Object>) m);
            } else if (doc != null) {
                throw new AssertionError(file + ": a document is not a mapping: " + doc);
            }
        }
        return docs;
    }

    /** {@code at(map, "spec", "template", "spec")}: the nested value, or null where the path breaks off. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object cur = node;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(p);
        }
        return (T) cur;
    }
}
