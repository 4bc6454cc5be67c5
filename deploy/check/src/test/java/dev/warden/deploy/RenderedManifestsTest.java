package dev.warden.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.warden.deploy.Files2.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code helm template} produced for each values file (deploy/.out/rendered-*.yaml, written by check.sh): the
 * objects a platform team expects, and the security and network guarantees the README promises.
 */
class RenderedManifestsTest {

    @TestFactory
    Stream<DynamicTest> everyRenderedVariant() throws IOException {
        Path dir = Files2.renderedDir();
        List<Path> files;
        try (Stream<Path> s = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().startsWith("rendered-")).sorted().toList();
        }
        Assumptions.assumeFalse(files.isEmpty(), "no rendered manifests in " + dir + " (run deploy/check.sh with Helm)");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<Map<String, Object>> docs = Files2.loadAll(file);
            tests.add(DynamicTest.dynamicTest(name + ": has the expected objects", () -> expectedObjects(name, docs)));
            tests.add(DynamicTest.dynamicTest(name + ": workloads are locked down", () -> workloadsLockedDown(name, docs)));
            tests.add(DynamicTest.dynamicTest(name + ": network policy denies by default", () -> networkPolicy(name, docs)));
            tests.add(DynamicTest.dynamicTest(name + ": config map holds a parsable warden.yaml", () -> configMap(name, docs)));
            tests.add(DynamicTest.dynamicTest(name + ": API listener port wired through or absent", () -> apiListener(name, docs)));
        }
        return tests.stream();
    }

    private static Set<String> kinds(List<Map<String, Object>> docs) {
        return docs.stream().map(d -> d.get("apiVersion") + "/" + d.get("kind")).collect(Collectors.toSet());
    }

    private static void expectedObjects(String file, List<Map<String, Object>> docs) {
        Set<String> kinds = kinds(docs);
        for (String k : List.of("v1/Service", "v1/ConfigMap", "v1/ServiceAccount", "autoscaling/v2/HorizontalPodAutoscaler",
                "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/NetworkPolicy")) {
            assertTrue(kinds.contains(k), file + ": missing " + k + " (has " + kinds + ")");
        }
        assertTrue(kinds.contains("apps/v1/Deployment") || kinds.contains("apps/v1/StatefulSet"),
                file + ": no Deployment or StatefulSet");
        if (file.contains("persistent")) {
            assertTrue(kinds.contains("apps/v1/StatefulSet"), file + ": persistence renders a StatefulSet");
            assertTrue(kinds.contains("monitoring.coreos.com/v1/ServiceMonitor"), file + ": ServiceMonitor enabled");
        }
        Map<String, Object> hpa = docs.stream().filter(d -> "HorizontalPodAutoscaler".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        String target = at(hpa, "spec", "scaleTargetRef", "kind");
        assertTrue(kinds.contains("apps/v1/" + target), file + ": HPA targets a " + target + " that is not rendered");
    }

    private static void workloadsLockedDown(String file, List<Map<String, Object>> docs) {
        for (Map<String, Object> d : docs) {
            if (!Set.of("Deployment", "StatefulSet").contains(d.get("kind"))) {
                continue;
            }
            Map<String, Object> pod = at(d, "spec", "template", "spec");
            assertNotNull(pod, file + ": pod spec");
            assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"), file + ": pod runAsNonRoot");
            assertEquals("RuntimeDefault", at(pod, "securityContext", "seccompProfile", "type"), file + ": pod seccomp");
            assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"), file + ": no API token mounted");
            List<Map<String, Object>> containers = at(pod, "containers");
            assertFalse(containers == null || containers.isEmpty(), file + ": containers");
            for (Map<String, Object> c : containers) {
                String n = file + ": container " + c.get("name");
                assertEquals(Boolean.TRUE, at(c, "securityContext", "runAsNonRoot"), n + " runAsNonRoot");
                assertEquals(Boolean.TRUE, at(c, "securityContext", "readOnlyRootFilesystem"), n + " readOnlyRootFilesystem");
                assertEquals(Boolean.FALSE, at(c, "securityContext", "allowPrivilegeEscalation"), n + " allowPrivilegeEscalation");
                List<String> drop = at(c, "securityContext", "capabilities", "drop");
                assertTrue(drop != null && drop.contains("ALL"), n + " drops ALL capabilities");
                assertEquals("/actuator/health/liveness", at(c, "livenessProbe", "httpGet", "path"), n + " liveness");
                assertEquals("/actuator/health/readiness", at(c, "readinessProbe", "httpGet", "path"), n + " readiness");
                assertNotNull(at(c, "resources", "limits", "memory"), n + " memory limit");
                List<Map<String, Object>> mounts = at(c, "volumeMounts");
                Set<String> paths = mounts.stream().map(m -> (String) m.get("mountPath")).collect(Collectors.toSet());
                assertTrue(paths.containsAll(Set.of("/etc/warden", "/var/lib/warden", "/tmp")),
                        n + " mounts config, data dir and /tmp (read-only root needs writable volumes), has " + paths);
                List<String> args = at(c, "args");
                assertEquals(List.of("serve", "--config", "/etc/warden/warden.yaml"), args, n + " args");
            }
        }
    }

    private static void networkPolicy(String file, List<Map<String, Object>> docs) {
        Map<String, Object> np = docs.stream().filter(d -> "NetworkPolicy".equals(d.get("kind"))).findFirst().orElseThrow();
        List<String> types = at(np, "spec", "policyTypes");
        assertTrue(types.containsAll(List.of("Ingress", "Egress")), file + ": policyTypes " + types);
        List<Map<String, Object>> egress = at(np, "spec", "egress");
        assertNotNull(egress, file + ": egress rules");
        boolean dns = false;
        for (Map<String, Object> rule : egress) {
            List<Map<String, Object>> to = at(rule, "to");
            assertFalse(to == null || to.isEmpty(), file + ": an egress rule without `to` allows every destination");
            List<Map<String, Object>> ports = at(rule, "ports");
            assertFalse(ports == null || ports.isEmpty(), file + ": an egress rule without ports allows every port");
            for (Map<String, Object> peer : to) {
                Object cidr = at(peer, "ipBlock", "cidr");
                assertFalse("0.0.0.0/0".equals(cidr) || "::/0".equals(cidr), file + ": egress to the whole internet");
            }
            dns |= ports.stream().anyMatch(p -> Integer.valueOf(53).equals(p.get("port")));
        }
        assertTrue(dns, file + ": DNS egress rule");
        List<Map<String, Object>> ingress = at(np, "spec", "ingress");
        if (ingress != null) {
            for (Map<String, Object> rule : ingress) {
                List<Map<String, Object>> from = at(rule, "from");
                assertFalse(from == null || from.isEmpty(), file + ": an ingress rule without `from` admits everyone");
            }
        }
        if (!file.contains("default")) {
            // Cloud examples: DNS plus at least provider, secrets, PostgreSQL, Redis and Kafka destinations.
            assertTrue(egress.size() >= 6, file + ": expected >= 6 egress rules, got " + egress.size());
        }
    }

    /**
     * With {@code apiListener.enabled} the second port must be wired end to end (container port, the gateway's
     * WARDEN_LISTENER_PORT, Service, and the NetworkPolicy's client rule but not the monitoring rule); without it,
     * no trace of it.
     */
    @SuppressWarnings("unchecked")
    private static void apiListener(String file, List<Map<String, Object>> docs) {
        boolean enabled = file.contains("api-listener");
        Map<String, Object> workload = docs.stream().filter(d -> Set.of("Deployment", "StatefulSet").contains(d.get("kind")))
                .findFirst().orElseThrow();
        List<Map<String, Object>> containers = at(workload, "spec", "template", "spec", "containers");
        Map<String, Object> warden = containers.get(0);
        List<Map<String, Object>> ports = at(warden, "ports");
        Map<String, Object> api = ports.stream().filter(p -> "api".equals(p.get("name"))).findFirst().orElse(null);
        List<Map<String, Object>> env = at(warden, "env");
        Object listenerPort = env.stream().filter(e -> "WARDEN_LISTENER_PORT".equals(e.get("name")))
                .map(e -> e.get("value")).findFirst().orElse(null);
        Map<String, Object> service = docs.stream().filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> servicePorts = at(service, "spec", "ports");
        boolean serviceApi = servicePorts.stream().anyMatch(p -> "api".equals(p.get("targetPort")));
        Map<String, Object> np = docs.stream().filter(d -> "NetworkPolicy".equals(d.get("kind"))).findFirst().orElseThrow();
        List<Map<String, Object>> ingress = at(np, "spec", "ingress");
        List<List<Object>> rulePorts = ingress == null ? List.of() : ingress.stream()
                .map(r -> ((List<Map<String, Object>>) r.get("ports")).stream().map(p -> p.get("port")).toList())
                .toList();
        if (!enabled) {
            assertEquals(null, api, file + ": no api container port without apiListener.enabled");
            assertEquals(null, listenerPort, file + ": no WARDEN_LISTENER_PORT without apiListener.enabled");
            assertFalse(serviceApi, file + ": no api Service port without apiListener.enabled");
            return;
        }
        assertNotNull(api, file + ": container port named api");
        assertEquals(String.valueOf(api.get("containerPort")), String.valueOf(listenerPort),
                file + ": WARDEN_LISTENER_PORT is the api container port");
        assertTrue(serviceApi, file + ": Service port targeting api");
        assertTrue(rulePorts.stream().anyMatch(p -> p.contains("api") && p.contains("http")),
                file + ": the client ingress rule admits the api port, has " + rulePorts);
        assertTrue(rulePorts.stream().anyMatch(p -> p.equals(List.of("http"))),
                file + ": the monitoring rule admits the main port only, has " + rulePorts);
    }

    private static void configMap(String file, List<Map<String, Object>> docs) {
        Map<String, Object> cm = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
        String yaml = at(cm, "data", "warden.yaml");
        assertNotNull(yaml, file + ": ConfigMap data warden.yaml");
        Object parsed = Files2.yaml().load(yaml);
        assertTrue(parsed instanceof Map<?, ?> m && m.containsKey("warden"), file + ": warden.yaml has a `warden:` root");
        assertEquals("/var/lib/warden", at(parsed, "warden", "data-dir"), file + ": data dir on the volume");
    }
}
