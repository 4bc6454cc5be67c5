package dev.warden.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image contract the chart relies on (no Docker engine here, so the Dockerfile is checked as text). */
class DockerfileTest {
    private final String dockerfile = Files2.read(Files2.deployDir().resolve("docker/Dockerfile"));

    private void has(String regex, String why) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(dockerfile).find(), "Dockerfile: " + why);
    }

    @Test
    void buildsInOneStageAndRunsOnAJreInAnother() {
        has("^FROM \\S+ AS build$", "a build stage");
        has("^FROM \\S+ AS runtime$", "a runtime stage");
        has("JRE_IMAGE=eclipse-temurin:2[1-9]-jre", "a Temurin JRE (21+) runtime");
    }

    @Test
    void runsAsNonRootWithWritableVolumesOnly() {
        has("^USER 10001:10001$", "a numeric non-root user (runAsNonRoot can verify it)");
        has("^VOLUME \\[.*\"/var/lib/warden\".*\"/tmp\".*\\]$", "data dir and /tmp as volumes");
        has("MaxRAMPercentage=", "container-aware heap sizing");
        has("^EXPOSE 8080$", "port 8080");
        has("^HEALTHCHECK .*", "a HEALTHCHECK");
        has("^ENTRYPOINT \\[\"java\", \"-jar\", \"/app/warden.jar\"\\]$", "java -jar /app/warden.jar");
        has("^CMD \\[\"serve\", \"--config\", \"/etc/warden/warden.yaml\"\\]$", "serve --config /etc/warden/warden.yaml");
        for (String forbidden : List.of("USER root\n", "USER 0\n", "chmod 777")) {
            assertTrue(!dockerfile.contains(forbidden), "Dockerfile: must not contain " + forbidden.strip());
        }
    }
}
