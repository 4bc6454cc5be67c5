package dev.warden.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.warden.deploy.Files2.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a cluster the gateway logs JSON lines: the chart's {@code logFormat} (default {@code ecs}) reaches the container
 * as {@code WARDEN_LOG_FORMAT}, which the gateway maps to Spring Boot's structured console format.
 */
class LogFormatTest {
    private static final Path CHART = Files2.deployDir().resolve("helm/warden");

    @Test
    void theChartLogsJsonByDefault() {
        Map<String, Object> values = Files2.loadMap(CHART.resolve("values.yaml"));
        assertEquals("ecs", values.get("logFormat"), "values.yaml: logFormat (expected: ecs, Spring Boot's ECS JSON)");
        String helpers = Files2.read(CHART.resolve("templates/_helpers.tpl"));
        assertTrue(helpers.contains("name: WARDEN_LOG_FORMAT"), "_helpers.tpl passes logFormat as WARDEN_LOG_FORMAT");
    }

    @TestFactory
    Stream<DynamicTest> everyRenderedWorkloadGetsTheLogFormat() throws IOException {
        Path dir = Files2.renderedDir();
        List<Path> files;
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().startsWith("rendered-")).sorted().toList();
        }
        Assumptions.assumeFalse(files.isEmpty(), "no rendered manifests in " + dir + " (run deploy/check.sh with Helm)");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name + ": WARDEN_LOG_FORMAT=ecs", () -> {
                int workloads = 0;
                for (Map<String, Object> doc : Files2.loadAll(file)) {
                    if (!Set.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                        continue;
                    }
                    workloads++;
                    List<Map<String, Object>> containers = at(doc, "spec", "template", "spec", "containers");
                    Map<String, Object> warden = containers.stream().filter(c -> "warden".equals(c.get("name")))
                            .findFirst().orElseThrow(() -> new AssertionError(name + ": no warden container"));
                    List<Map<String, Object>> env = at(warden, "env");
                    List<Object> formats = env.stream().filter(e -> "WARDEN_LOG_FORMAT".equals(e.get("name")))
                            .map(e -> e.get("value")).toList();
                    assertEquals(List.of("ecs"), formats, name + ": env WARDEN_LOG_FORMAT of the warden container");
                }
                assertFalse(workloads == 0, name + ": no Deployment or StatefulSet");
            }));
        }
        return tests.stream();
    }
}
