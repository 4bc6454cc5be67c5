package dev.warden.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.warden.deploy.Files2.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The chart's own files: Chart.yaml, the default values, the cloud examples, and the template text. */
class ChartValuesTest {
    private static final Path CHART = Files2.deployDir().resolve("helm/warden");
    private static final Pattern SECRET_REFERENCE = Pattern.compile("(env|file|vault|aws-sm|azure-kv|gcp-sm)://.+");

    @Test
    void chartYamlIsAnApplicationChartV2() {
        Map<String, Object> chart = Files2.loadMap(CHART.resolve("Chart.yaml"));
        assertEquals("v2", chart.get("apiVersion"));
        assertEquals("warden", chart.get("name"));
        assertEquals("application", chart.get("type"));
        assertNotNull(chart.get("version"), "Chart.yaml: version");
        assertNotNull(chart.get("appVersion"), "Chart.yaml: appVersion");
    }

    @Test
    void defaultValuesAreLockedDown() {
        Map<String, Object> values = Files2.loadMap(CHART.resolve("values.yaml"));
        assertEquals(Boolean.TRUE, at(values, "podSecurityContext", "runAsNonRoot"));
        assertEquals("RuntimeDefault", at(values, "podSecurityContext", "seccompProfile", "type"));
        assertEquals(Boolean.TRUE, at(values, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, at(values, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), at(values, "securityContext", "capabilities", "drop"));
        assertEquals(Boolean.TRUE, at(values, "networkPolicy", "enabled"), "NetworkPolicy is on by default");
        assertEquals(Boolean.FALSE, at(values, "serviceAccount", "automountServiceAccountToken"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values-aws.yaml", "values-azure.yaml", "values-gcp.yaml"})
    void everyValuesFileParsesAndHoldsOnlySecretReferences(String file) {
        Map<String, Object> values = Files2.loadMap(CHART.resolve(file));
        Map<String, Object> warden = at(values, "config", "warden");
        if (warden == null) {
            assertTrue(file.equals("values.yaml") || values.get("config") == null, file + ": config.warden missing");
            return;
        }
        for (String key : List.of("password")) {
            Object v = at(warden, "store", key);
            if (v != null) {
                assertTrue(SECRET_REFERENCE.matcher(v.toString()).matches(),
                        file + ": config.warden.store." + key + " must be a secret reference, got a literal");
            }
        }
        Object token = at(warden, "admin", "token");
        if (token != null) {
            assertTrue(SECRET_REFERENCE.matcher(token.toString()).matches(), file + ": admin.token must be a reference");
        }
        List<Map<String, Object>> providers = at(warden, "providers");
        if (providers != null) {
            for (Map<String, Object> p : providers) {
                List<Map<String, Object>> keys = at(p, "keys");
                if (keys == null) {
                    continue;
                }
                for (Map<String, Object> k : keys) {
                    Object secret = k.get("secret");
                    assertTrue(secret == null || SECRET_REFERENCE.matcher(secret.toString()).matches(),
                            file + ": provider " + p.get("name") + " key " + k.get("id") + " holds a literal secret");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"values-aws.yaml:eks.amazonaws.com/role-arn", "values-azure.yaml:azure.workload.identity/client-id",
            "values-gcp.yaml:iam.gke.io/gcp-service-account"})
    void cloudExamplesUseWorkloadIdentityAndRestrictEgress(String spec) {
        String file = spec.substring(0, spec.indexOf(':'));
        String annotation = spec.substring(spec.indexOf(':') + 1);
        Map<String, Object> values = Files2.loadMap(CHART.resolve(file));
        Map<String, Object> annotations = at(values, "serviceAccount", "annotations");
        assertNotNull(annotations, file + ": serviceAccount.annotations");
        assertTrue(annotations.containsKey(annotation), file + ": expected service account annotation " + annotation);
        for (String group : List.of("providers", "secrets", "postgresql", "redis", "kafka")) {
            List<Map<String, Object>> entries = at(values, "networkPolicy", "egress", group);
            assertNotNull(entries, file + ": networkPolicy.egress." + group);
            assertFalse(entries.isEmpty(), file + ": networkPolicy.egress." + group + " is empty");
            for (Map<String, Object> e : entries) {
                Object cidr = e.get("cidr");
                assertNotNull(cidr, file + ": egress " + group + " entry " + e.get("name") + " has no cidr");
                assertFalse(cidr.toString().equals("0.0.0.0/0"), file + ": egress to the whole internet");
                assertNotNull(e.get("ports"), file + ": egress " + group + " entry " + e.get("name") + " has no ports");
            }
        }
        assertEquals(Boolean.TRUE, at(values, "secrets", "csi", "enabled"), file + ": secrets via the CSI driver");
    }

    /** The brief's guarantee holds even without Helm: the pod template itself carries the security context. */
    @Test
    void podTemplateTextAppliesTheSecurityContexts() {
        String helpers = Files2.read(CHART.resolve("templates/_helpers.tpl"));
        assertTrue(helpers.contains("toYaml .Values.podSecurityContext"), "pod securityContext comes from values");
        assertTrue(helpers.contains("toYaml .Values.securityContext"), "container securityContext comes from values");
        assertTrue(helpers.contains("/etc/warden"), "config mounted at /etc/warden");
        String values = Files2.read(CHART.resolve("values.yaml"));
        for (String needle : List.of("runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false",
                "type: RuntimeDefault", "drop: [ALL]")) {
            assertTrue(values.contains(needle), "values.yaml: expected `" + needle + "`");
        }
        String deployment = Files2.read(CHART.resolve("templates/deployment.yaml"));
        assertTrue(deployment.contains("include \"warden.podTemplate\""), "Deployment uses the shared pod template");
    }

    @Test
    void everyTemplateFileExists() {
        for (String t : List.of("deployment.yaml", "statefulset.yaml", "service.yaml", "hpa.yaml", "pdb.yaml",
                "networkpolicy.yaml", "servicemonitor.yaml", "serviceaccount.yaml", "configmap.yaml",
                "secretproviderclass.yaml", "_helpers.tpl", "NOTES.txt")) {
            if (!Files.isRegularFile(CHART.resolve("templates").resolve(t))) {
                fail("templates/" + t + " is missing");
            }
        }
    }
}
