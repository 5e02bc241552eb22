package io.socketfleet.operator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.socketfleet.operator.api.FleetFiles;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.validation.FleetValidator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/ renders with kustomize, and every manifest and example binds to the model without unknown fields. */
class DeployManifestsIT {

    static final Path ROOT = Path.of(System.getProperty("socketfleet.repoRoot", "..")).toAbsolutePath().normalize();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    static List<HasMetadata> kustomize() throws Exception {
        return kustomize("deploy");
    }

    /** The manifests a kustomization directory renders, e.g. deploy/ or deploy/namespaced. */
    static List<HasMetadata> kustomize(String directory) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(directory).toString()).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("kubectl is not installed (it renders deploy/ with kustomize): "
                    + "install the kubectl client for your platform", e);
        }
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "kubectl kustomize " + directory + " failed: " + errors);
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (!document.isBlank()) {
                resources.add(new KubernetesSerialization().unmarshal(document, HasMetadata.class));
            }
        }
        return resources;
    }

    @Test
    void kustomizeRendersTypedManifestsWithoutUnknownFields() throws Exception {
        List<HasMetadata> resources = kustomize();
        assertEquals(Set.of("Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
                "Role", "RoleBinding", "Deployment", "Service", "NetworkPolicy"), Set.copyOf(resources.stream().map(HasMetadata::getKind).toList()));
        for (HasMetadata resource : resources) {
            assertFalse(resource.getClass().getSimpleName().startsWith("Generic"), "untyped: " + resource.getKind());
            assertEquals(List.of(), unknownFields(resource), resource.getKind() + " " + resource.getMetadata().getName());
        }
    }

    @Test
    void operatorDeploymentIsHardened() throws Exception {
        Deployment operator = kustomize().stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        var pod = operator.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("socketfleet-system", operator.getMetadata().getNamespace());
        assertEquals("socketfleet-operator", pod.getServiceAccountName());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
        assertTrue(container.getResources().getRequests().containsKey("memory"));
    }

    @Test
    void operatorMetricsAreExposedOnTheirPortAlone() throws Exception {
        for (String install : List.of("deploy", "deploy/namespaced")) {
            List<HasMetadata> resources = kustomize(install);
            Deployment operator = resources.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                    .findFirst().orElseThrow();
            var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
            Service metrics = resources.stream().filter(Service.class::isInstance).map(Service.class::cast)
                    .findFirst().orElseThrow();
            assertEquals("ClusterIP", metrics.getSpec().getType(), install);
            assertEquals(operator.getSpec().getSelector().getMatchLabels(), metrics.getSpec().getSelector(), install);
            assertEquals(1, metrics.getSpec().getPorts().size(), install);
            var port = metrics.getSpec().getPorts().get(0);
            assertEquals("metrics", port.getName());
            var target = container.getPorts().stream().filter(p -> p.getName().equals(port.getTargetPort().getStrVal()))
                    .findFirst().orElseThrow(() -> new AssertionError("the Service targets no named port of the operator"));
            assertEquals(8081, target.getContainerPort(), "the port of the operator's /metrics (Main --health-port default)");
            assertEquals(8081, port.getPort());

            NetworkPolicy policy = resources.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
                    .findFirst().orElseThrow();
            assertEquals(operator.getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
            assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes(), "only what reaches the operator is limited");
            assertEquals(1, policy.getSpec().getIngress().size());
            assertEquals(List.of(8081), policy.getSpec().getIngress().get(0).getPorts().stream()
                    .map(p -> p.getPort().getIntVal()).toList());
        }
    }

    @Test
    void exampleFleetsAreValid() throws Exception {
        try (Stream<Path> examples = Files.list(ROOT.resolve("deploy/examples"))) {
            List<Path> files = examples.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertTrue(files.size() >= 2);
            for (Path file : files) {
                SocketFleet fleet = FleetFiles.read(file); // unknown fields fail to bind
                assertEquals(List.of(), FleetValidator.validate(fleet), file.toString());
            }
        }
    }

    @Test
    void bothInstallsDeployTheCommittedCrd() throws Exception {
        HasMetadata committed = serialization.unmarshal(Files.readString(ROOT.resolve("crds/socketfleets.socketfleet.io-v1.yml")),
                HasMetadata.class);
        for (String install : List.of("deploy", "deploy/namespaced")) {
            List<HasMetadata> crds = kustomize(install).stream().filter(r -> r.getKind().equals("CustomResourceDefinition")).toList();
            assertEquals(List.of(committed), crds, install + " installs crds/ (through crds/kustomization.yaml), nothing else");
        }
    }

    /** Paths of fields the model did not know, which fabric8 keeps in additionalProperties. */
    static List<String> unknownFields(Object root) throws Exception {
        List<String> unknown = new ArrayList<>();
        walk(root, "", unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) throws Exception {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), unknown, seen);
            }
            return;
        }
        if (!(value instanceof KubernetesResource) || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child = getter.invoke(value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            walk(child, path + "." + getter.getName().substring(3), unknown, seen);
        }
    }
}
