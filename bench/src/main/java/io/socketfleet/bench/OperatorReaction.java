package io.socketfleet.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.socketfleet.operator.OperatorRuntime;
import io.socketfleet.operator.metrics.OperatorMetrics;
import io.socketfleet.operator.testing.ApplyingCrudDispatcher;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.dependent.FleetLabels;
import io.socketfleet.operator.api.SocketFleetSpec;

import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Scenario 6: from a change of ready backends (an EndpointSlice written to the mock API
 * server) to the rewritten ConfigMap, as the operator runs in production.
 */
final class OperatorReaction implements Scenario {

    @Override
    public String name() {
        return "operator-reaction";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new ApplyingCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient(); KubernetesClient operatorClient = server.createClient()) {
            try (InputStream crd = SocketFleet.class.getResourceAsStream("/META-INF/fabric8/socketfleets.socketfleet.io-v1.yml")) {
                client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
            }
            Operator operator = OperatorRuntime.create(operatorClient, null, new OperatorMetrics());
            operator.start();
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build()).create();
                SocketFleet fleet = new SocketFleet();
                fleet.setMetadata(new ObjectMetaBuilder().withName("chat").withNamespace("bench").build());
                fleet.setSpec(new SocketFleetSpec());
                client.resource(fleet).create();
                await(client, 0);
                double[] millis = new double[settings.operatorChanges()];
                for (int i = 0; i < millis.length; i++) {
                    int ready = i % 2 == 0 ? 3 : 2; // alternate so every write changes the ready set
                    long started = System.nanoTime();
                    writeSlice(client, ready);
                    await(client, ready);
                    millis[i] = (System.nanoTime() - started) / 1e6;
                }
                Arrays.sort(millis);
                results.add(name(), "EndpointSlice -> ConfigMap median", "ms", "operator", millis[millis.length / 2], false);
                results.add(name(), "EndpointSlice -> ConfigMap max", "ms", "operator", millis[millis.length - 1], false);
            } finally {
                operator.stop();
            }
        } finally {
            server.destroy();
        }
    }

    /** What the EndpointSlice controller puts on the node Service's slices: the Service's labels and its name. */
    private static final Map<String, String> SLICE_LABELS = Map.of("kubernetes.io/service-name", "chat-nodes",
            "app.kubernetes.io/managed-by", FleetLabels.MANAGED_BY_VALUE, "socketfleet.io/fleet", "chat",
            FleetLabels.COMPONENT, FleetLabels.Component.NODE.label());

    private static void writeSlice(KubernetesClient client, int ready) {
        var builder = new EndpointSliceBuilder()
                .withNewMetadata().withName("chat-nodes-bench").withNamespace("bench")
                    .withLabels(SLICE_LABELS).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(3000).endPort();
        for (int i = 1; i <= 3; i++) {
            builder.addNewEndpoint().withAddresses("10.1.0." + i).withNewConditions().withReady(i <= ready).endConditions().endEndpoint();
        }
        client.resource(builder.build()).createOr(existing -> existing.update());
    }

    private static void await(KubernetesClient client, int servers) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            ConfigMap map = client.configMaps().inNamespace("bench").withName("chat-nginx").get();
            if (map != null && map.getData().get("nginx.conf").lines().filter(l -> l.strip().startsWith("server 10.1.0.")).count() == servers) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("the ConfigMap never listed " + servers + " servers");
    }
}
