package dev.warden.bench.run;

import java.net.URISyntaxException;

/** Where this harness's own jar is, so it can start the upstream from it in a separate JVM. */
final class BenchJar {
    private BenchJar() {
    }

    static String location() {
        try {
            return java.nio.file.Path.of(BenchJar.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench jar", e);
        }
    }
}
