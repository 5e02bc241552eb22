package io.socketfleet.operator.reconciler;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.api.AutoscalingSpec;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the operator changes a fleet's size: the disruption budget, the deletion cost it writes just
 * before a scale-down, and spec.autoscaling through the scale subresource. Against the mock API
 * server (taught /scale); three HTTP servers on 127.0.0.2-4 play the node pods' /metrics, the
 * test plays the kubelet by giving the pods those IPs.
 */
class FleetScalingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private MockCluster cluster;
    private KubernetesClient client;
    private final List<HttpServer> nodes = new ArrayList<>();
    private final List<AtomicInteger> sessions = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        client = cluster.client();
        int port = 0;
        for (int i = 0; i < 3; i++) {
            AtomicInteger count = new AtomicInteger();
            HttpServer node = metrics("127.0.0." + (i + 2), port, count);
            port = node.getAddress().getPort();
            nodes.add(node);
            sessions.add(count);
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.stop(0));
        cluster.close();
    }

    /** Answers GET /metrics with the open-sessions gauge, as a socket-node does. */
    private static HttpServer metrics(String ip, int port, AtomicInteger count) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE socketfleet_sessions_open gauge\nsocketfleet_sessions_open " + count.get() + ".0\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private SocketFleet create(String namespace, int replicas, AutoscalingSpec autoscaling) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", namespace, replicas);
        fleet.getSpec().getNode().setPort(nodes.get(0).getAddress().getPort());
        fleet.getSpec().setAutoscaling(autoscaling);
        SocketFleet created = client.resource(fleet).create();
        for (int i = 0; i < 3; i++) {
            runningNodePod(namespace, "chat-node-" + (char) ('a' + i), "127.0.0." + (i + 2));
        }
        return created;
    }

    private void runningNodePod(String namespace, String name, String ip) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "socket-node").endMetadata()
                .withNewSpec().addNewContainer().withName("socket-node").withImage("socket-node").endContainer().endSpec().build()).create();
        client.pods().inNamespace(namespace).withName(name).editStatus(pod -> {
            pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
            return pod;
        });
    }

    private Integer deploymentReplicas(String namespace) {
        Deployment nodes = client.apps().deployments().inNamespace(namespace).withName("chat-node").get();
        return nodes == null ? null : nodes.getSpec().getReplicas();
    }

    private String deletionCost(String namespace, String pod) {
        Map<String, String> annotations = client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(NodePods.DELETION_COST);
    }

    private int specReplicas(String namespace) {
        return client.resources(SocketFleet.class).inNamespace(namespace).withName("chat").get().getSpec().getReplicas();
    }

    @Test
    void aBudgetLetsEvictionsTakeOneNodeAtATime() {
        SocketFleet fleet = create("budget", 3, null);
        await().atMost(WAIT).until(() -> client.policy().v1().podDisruptionBudget().inNamespace("budget").withName("chat-node").get() != null);
        PodDisruptionBudget budget = client.policy().v1().podDisruptionBudget().inNamespace("budget").withName("chat-node").get();
        assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        assertNull(budget.getSpec().getMinAvailable());
        assertEquals(Map.of("socketfleet.io/fleet", "chat", "app.kubernetes.io/component", "socket-node"),
                budget.getSpec().getSelector().getMatchLabels());
        assertEquals(fleet.getMetadata().getUid(), budget.getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void beforeAScaleDownAndOnlyThenEachNodePodCarriesItsSessionsAsDeletionCost() {
        sessions.get(0).set(500);
        sessions.get(1).set(20);
        sessions.get(2).set(300);
        create("down", 3, null);
        await().atMost(WAIT).until(() -> Integer.valueOf(3).equals(deploymentReplicas("down")));
        assertNull(deletionCost("down", "chat-node-b"), "no deletion cost while the fleet keeps its size");

        // kubectl scale socketfleet/chat --replicas=2, through the scale subresource.
        client.resources(SocketFleet.class).inNamespace("down").withName("chat").scale(2);
        await().atMost(WAIT).until(() -> Integer.valueOf(2).equals(deploymentReplicas("down")));
        assertEquals("500", deletionCost("down", "chat-node-a"));
        assertEquals("20", deletionCost("down", "chat-node-b"), "the emptiest pod is the cheapest to delete");
        assertEquals("300", deletionCost("down", "chat-node-c"));
    }

    @Test
    void autoscalingSetsReplicasFromTheSessionsThroughTheScaleSubresource() {
        AutoscalingSpec autoscaling = new AutoscalingSpec();
        autoscaling.setMinReplicas(1);
        autoscaling.setMaxReplicas(5);
        autoscaling.setTargetSessionsPerNode(100);
        autoscaling.setScaleDownStabilizationSeconds(0);
        sessions.get(0).set(150);
        sessions.get(1).set(120);
        sessions.get(2).set(80);
        create("auto", 2, autoscaling);

        await().atMost(WAIT).until(() -> specReplicas("auto") == 4);
        await().atMost(WAIT).until(() -> Integer.valueOf(4).equals(deploymentReplicas("auto")));
        assertTrue(cluster.dispatcher().requests().stream().anyMatch(r -> r.method().equals("PUT") && r.path().endsWith("/chat/scale")
                        && r.userAgent().startsWith("socketfleet-operator")),
                "written through the scale subresource: " + cluster.dispatcher().requests());

        sessions.forEach(s -> s.set(10));
        await().atMost(WAIT).until(() -> specReplicas("auto") == 1);
        await().atMost(WAIT).until(() -> Integer.valueOf(1).equals(deploymentReplicas("auto")));
        assertEquals("10", deletionCost("auto", "chat-node-a"), "the autoscaler's scale-down orders the pods too");
    }
}
