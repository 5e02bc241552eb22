package io.socketfleet.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CRD generated from the API classes: committed, complete, and helpful to kubectl explain. */
class CrdTest {

    private static final Path COMMITTED = Path.of(System.getProperty("socketfleet.repoRoot", ".."), "crds/socketfleets.socketfleet.io-v1.yml");
    private static final String GENERATED = "/META-INF/fabric8/socketfleets.socketfleet.io-v1.yml";

    private static String generated() throws Exception {
        try (InputStream in = CrdTest.class.getResourceAsStream(GENERATED)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void committedCrdMatchesTheGeneratedOne() throws Exception {
        assertEquals(generated(), Files.readString(COMMITTED),
                "crds/ is stale: copy operator/target/classes" + GENERATED + " to " + COMMITTED);
    }

    @Test
    void scaleAndStatusSubresourcesPrinterColumnsAndCelRules() throws Exception {
        CustomResourceDefinitionVersion version = version();
        assertEquals(".spec.replicas", version.getSubresources().getScale().getSpecReplicasPath());
        assertEquals(".status.replicas", version.getSubresources().getScale().getStatusReplicasPath());
        assertEquals(".status.selector", version.getSubresources().getScale().getLabelSelectorPath());
        assertNotNull(version.getSubresources().getStatus());
        assertEquals(Set.of("Desired", "Nodes", "Backends", "Min/Node", "Max/Node", "Balance", "Sessions", "Ready", "Status", "Age"),
                Set.copyOf(version.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList()));
        assertEquals(".status.conditions[?(@.type==\"Ready\")].status", version.getAdditionalPrinterColumns().stream()
                .filter(c -> c.getName().equals("Ready")).findFirst().orElseThrow().getJsonPath(),
                "Ready is the condition, so kubectl get shows what kubectl wait waits for");
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertTrue(spec.getXKubernetesValidations().get(0).getRule().contains("proxyReadTimeoutSeconds"));
        assertEquals(3, spec.getProperties().get("replicas").getDefault().asInt());
        assertEquals(1000.0, spec.getProperties().get("replicas").getMaximum());
    }

    @Test
    void celRuleOnTheRootKeepsNamesDnsLabelsWithRoomForTheLongestSuffix() throws Exception {
        JSONSchemaProps root = version().getSchema().getOpenAPIV3Schema();
        var rules = root.getXKubernetesValidations();
        assertNotNull(rules, "no CEL rule at the root of the schema, where self.metadata.name is visible");
        assertEquals(1, rules.size());
        String rule = rules.get(0).getRule();
        assertTrue(rule.contains("self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')"), rule);
        assertTrue(rule.contains("size(self.metadata.name) <= " + (63 - "-redis-auth".length())), rule);
        assertTrue(rules.get(0).getMessage().contains("DNS-1035"), rules.get(0).getMessage());
    }

    @Test
    void everyFieldOfOursHasADescription() throws Exception {
        List<String> missing = new ArrayList<>();
        Map<String, JSONSchemaProps> root = version().getSchema().getOpenAPIV3Schema().getProperties();
        walk("spec", root.get("spec"), missing);
        walk("status", root.get("status"), missing);
        assertEquals(List.of(), missing, "fields without a description");
    }

    private static void walk(String path, JSONSchemaProps props, List<String> missing) {
        if (props.getProperties() == null) {
            return;
        }
        props.getProperties().forEach((name, child) -> {
            String field = path + "." + name;
            if (child.getDescription() == null || child.getDescription().isBlank()) {
                missing.add(field);
            }
            // Kubernetes' own types (resources, conditions) document themselves upstream.
            if (!name.equals("resources") && !name.equals("conditions")) {
                walk(field, child, missing);
                if (child.getItems() != null && child.getItems().getSchema() != null) {
                    walk(field + "[]", child.getItems().getSchema(), missing);
                }
            }
        });
    }

    static CustomResourceDefinitionVersion version() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        return crd.getSpec().getVersions().get(0);
    }
}
