package dev.warden.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard parses and speaks only the metric contract listed in deploy/README.md, and covers every
 * Warden metric of that contract: a renamed metric breaks this test instead of a panel in production.
 */
class DashboardTest {
    /** A metric selector: a name directly followed by a label matcher. Every query in the dashboard filters on job. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final Pattern CONTRACT_ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`", Pattern.MULTILINE);

    static Set<String> contract() {
        String readme = Files2.read(Files2.deployDir().resolve("README.md"));
        int start = readme.indexOf("## Metric contract");
        assertTrue(start >= 0, "deploy/README.md has a `## Metric contract` section");
        int end = readme.indexOf("\n## ", start + 5);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> names = new TreeSet<>();
        Matcher m = CONTRACT_ROW.matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertFalse(names.isEmpty(), "the metric contract lists no metrics");
        return names;
    }

    static String base(String series) {
        return series.replaceAll("_(bucket|sum|count)$", "");
    }

    @Test
    void dashboardUsesOnlyContractMetricsAndCoversWardenOnes() {
        JsonNode dash = JsonMapper.builder().build().readTree(Files2.read(Files2.deployDir().resolve("grafana/warden-dashboard.json")));
        assertEquals("warden-gateway", dash.get("uid").asString());
        Set<String> used = new LinkedHashSet<>();
        int queries = 0;
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asString();
                queries++;
                Matcher m = SELECTOR.matcher(expr);
                boolean any = false;
                while (m.find()) {
                    used.add(base(m.group(1)));
                    any = true;
                }
                assertTrue(any, "panel \"" + panel.get("title").asString() + "\": query without a {job=...} selector: " + expr);
            }
        }
        assertTrue(queries >= 15, "expected a full dashboard, got " + queries + " queries");
        Set<String> contract = contract();
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(contract);
        assertTrue(unknown.isEmpty(), "dashboard uses metrics outside the contract: " + unknown);
        Set<String> uncovered = new TreeSet<>();
        for (String c : contract) {
            if (c.startsWith("warden_") && !used.contains(c)) {
                uncovered.add(c);
            }
        }
        assertTrue(uncovered.isEmpty(), "contract metrics without a panel: " + uncovered);
    }
}
