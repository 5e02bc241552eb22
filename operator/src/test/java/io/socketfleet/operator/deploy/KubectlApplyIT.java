package io.socketfleet.operator.deploy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.testing.MockCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The example fleets as a user applies them: {@code kubectl apply}, twice, against the mock.
 * ({@code kubectl scale} cannot be played here: the mock answers /scale with the SocketFleet
 * rather than a Scale; the scale subresource is covered by the CRD test and the fabric8 client.)
 */
class KubectlApplyIT {

    @TempDir
    Path dir;

    @Test
    void kubectlAppliesTheExamplesAndReappliesAnEdit() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            KubernetesClient client = cluster.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("demo").endMetadata().build()).create();
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, String.join("\n",
                    "apiVersion: v1", "kind: Config", "current-context: mock",
                    "clusters: [{name: mock, cluster: {server: '" + client.getMasterUrl().toString().replaceAll("/$", "") + "'}}]",
                    "users: [{name: mock, user: {token: test}}]",
                    "contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: demo}}]", ""));

            for (String example : List.of("chat.yaml", "fleet-full.yaml")) {
                kubectl(kubeconfig, "apply", "--validate=false", "-f",
                        DeployManifestsIT.ROOT.resolve("deploy/examples/" + example).toString());
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.apps().deployments().inNamespace("demo").withName("chat-node").get() != null
                    && client.apps().deployments().inNamespace("demo").withName("dashboard-node").get() != null);
            assertEquals(5, client.apps().deployments().inNamespace("demo").withName("dashboard-node").get().getSpec().getReplicas());
            assertEquals("LoadBalancer", client.services().inNamespace("demo").withName("dashboard-nginx").get().getSpec().getType());

            // Applying again with an edit is a patch of the same object, as a user's second apply.
            String edited = Files.readString(DeployManifestsIT.ROOT.resolve("deploy/examples/chat.yaml")).replace("replicas: 3", "replicas: 4");
            Path file = dir.resolve("chat.yaml");
            Files.writeString(file, edited);
            kubectl(kubeconfig, "apply", "--validate=false", "-f", file.toString());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.apps().deployments().inNamespace("demo").withName("chat-node").get().getSpec().getReplicas() == 4);
        }
    }

    private static void kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("kubectl is not installed: apt-get install kubernetes-client", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
