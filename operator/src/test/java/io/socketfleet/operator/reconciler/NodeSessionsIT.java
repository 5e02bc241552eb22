package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.api.SessionsStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.EndpointSliceController;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import io.socketfleet.operator.testing.SocketIoClient;
import io.socketfleet.operator.testing.SocketNodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code kubectl get socketfleets} shows sessions per node and the balance, fed from the nodes:
 * two real socket-nodes (on 127.0.0.2 and 127.0.0.3) hold 3 and 1 websocket sessions, the
 * operator reads their /metrics, and kubectl prints the CRD's own printer columns of the status
 * it wrote.
 */
class NodeSessionsIT {

    @TempDir
    Path dir;

    @Test
    void statusAndPrinterColumnsShowSessionsPerNodeFromTheNodes() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<SocketIoClient> clients = new ArrayList<>();
        try (SocketNodeProcess a = SocketNodeProcess.start("127.0.0.2", port, "a");
             SocketNodeProcess b = SocketNodeProcess.start("127.0.0.3", port, "b");
             MockCluster cluster = new MockCluster()) {
            for (int i = 0; i < 3; i++) {
                clients.add(SocketIoClient.connect(a.address()));
            }
            clients.add(SocketIoClient.connect(b.address()));

            KubernetesClient client = cluster.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("seen").endMetadata().build()).create();
            client.resource(Fleets.fleet("chat", "seen", 2)).create();
            client.resource(new EndpointSliceBuilder().withNewMetadata().withName("chat-nodes-1").withNamespace("seen")
                    .withLabels(EndpointSliceController.labels(client, "seen", "chat-nodes")).endMetadata()
                    .withAddressType("IPv4").addNewPort().withName("http").withPort(port).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.2").withNewConditions().withReady(true).withServing(true).endConditions()
                    .endEndpoint()
                    .addNewEndpoint().withAddresses("127.0.0.3").withNewConditions().withReady(true).withServing(true).endConditions()
                    .endEndpoint().build()).fieldManager("endpointslice-controller").forceConflicts().serverSideApply();

            await().atMost(Duration.ofSeconds(60)).until(() -> sessions(client) != null && sessions(client).getTotal() == 4);
            SessionsStatus sessions = sessions(client);
            assertEquals(1, sessions.getMin());
            assertEquals(3, sessions.getMax());
            assertEquals(1.5, sessions.getBalance(), "3 / (4 / 2)");
            assertEquals(2, sessions.getNodesReporting());

            Map<String, String> columns = printerColumns(client, kubeconfig(client));
            assertEquals("1", columns.get("Min/Node"), columns.toString());
            assertEquals("3", columns.get("Max/Node"), columns.toString());
            assertEquals("1.5", columns.get("Balance"), columns.toString());
            assertEquals("4", columns.get("Sessions"), columns.toString());
        } finally {
            clients.forEach(SocketIoClient::close);
        }
    }

    private static SessionsStatus sessions(KubernetesClient client) {
        SocketFleet fleet = client.resources(SocketFleet.class).inNamespace("seen").withName("chat").get();
        return fleet == null || fleet.getStatus() == null ? null : fleet.getStatus().getSessions();
    }

    private Path kubeconfig(KubernetesClient client) throws Exception {
        return Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1", "kind: Config", "current-context: mock",
                "clusters: [{name: mock, cluster: {server: '" + client.getMasterUrl().toString().replaceAll("/$", "") + "'}}]",
                "users: [{name: mock, user: {token: test}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: seen}}]", ""));
    }

    /**
     * What {@code kubectl get socketfleets} prints in each of the CRD's printer columns: kubectl
     * evaluates the CRD's own JSONPaths (custom columns, since the mock serves no Table) on the
     * fleet the operator wrote.
     */
    private static Map<String, String> printerColumns(KubernetesClient client, Path kubeconfig) throws Exception {
        var crd = client.apiextensions().v1().customResourceDefinitions().withName("socketfleets.socketfleet.io").get();
        var printed = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
        String spec = printed.stream().map(c -> c.getName().replace("/", "_") + ":" + c.getJsonPath())
                .collect(Collectors.joining(","));
        Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "socketfleets",
                "-o", "custom-columns=" + spec).redirectErrorStream(true).start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new AssertionError("kubectl get socketfleets failed:\n" + output);
        }
        List<String> lines = output.lines().toList();
        String[] values = lines.get(1).trim().split("\\s+");
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < printed.size(); i++) {
            columns.put(printed.get(i).getName(), values[i]);
        }
        return columns;
    }
}
