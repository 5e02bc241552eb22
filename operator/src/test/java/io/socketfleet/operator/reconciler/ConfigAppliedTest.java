package io.socketfleet.operator.reconciler;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.testing.EndpointSliceController;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ConfigApplied tells which config the nginx pods serve, asked over real HTTP: two servers on
 * 127.0.0.2 and 127.0.0.3 play the nginx pods' /nginx-healthz (the test plays the kubelet by
 * giving the pods those IPs and a Ready condition).
 */
class ConfigAppliedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private MockCluster cluster;
    private KubernetesClient client;
    private final AtomicReference<String> servedByA = new AtomicReference<>("0000000000000000");
    private final AtomicReference<String> servedByB = new AtomicReference<>("0000000000000000");
    private HttpServer a;
    private HttpServer b;

    @BeforeEach
    void start() throws Exception {
        cluster = new MockCluster();
        client = cluster.client();
        a = nginx("127.0.0.2", 0, servedByA);
        b = nginx("127.0.0.3", a.getAddress().getPort(), servedByB);
    }

    @AfterEach
    void stop() {
        a.stop(0);
        b.stop(0);
        cluster.close();
    }

    /** Answers GET /nginx-healthz as the rendered config's health location does. */
    private static HttpServer nginx(String ip, int port, AtomicReference<String> configId) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext("/nginx-healthz", exchange -> {
            exchange.getResponseHeaders().add(NginxConfig.CONFIG_ID_HEADER, configId.get());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private void readyPod(String name, String ip) {
        client.pods().inNamespace("applied").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "nginx").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build()).create();
        // A patch, as the kubelet's status update is not raced by the operator stamping the pod meanwhile.
        client.pods().inNamespace("applied").withName(name).editStatus(pod -> {
            pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP(ip)
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
            return pod;
        });
    }

    private void endpoints(String... ips) {
        EndpointSliceController.publishReady(client, "applied", "chat-nodes", ips);
    }

    private String configId() {
        return NginxConfig.configId(client.configMaps().inNamespace("applied").withName("chat-nginx").get().getData().get("nginx.conf"));
    }

    private String condition() {
        SocketFleet fleet = client.resources(SocketFleet.class).inNamespace("applied").withName("chat").get();
        if (fleet == null || fleet.getStatus() == null) {
            return "";
        }
        return fleet.getStatus().getConditions().stream().filter(c -> c.getType().equals("ConfigApplied"))
                .map(c -> c.getStatus() + ": " + c.getMessage()).findFirst().orElse("");
    }

    private void awaitCondition(String expected) {
        try {
            await().atMost(WAIT).until(() -> condition().equals(expected));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("ConfigApplied never became\n  " + expected + "\nit is\n  " + condition(), e);
        }
    }

    @Test
    void saysWhichConfigEachNginxServesUntilAllServeTheCurrentOne() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("applied").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "applied", 1);
        fleet.getSpec().getNginx().setPort(a.getAddress().getPort());
        client.resource(fleet).create();
        readyPod("chat-nginx-a", "127.0.0.2");
        readyPod("chat-nginx-b", "127.0.0.3");
        endpoints("10.244.0.11");
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace("applied").withName("chat-nginx").get() != null
                && client.configMaps().inNamespace("applied").withName("chat-nginx").get().getData().get("nginx.conf")
                        .contains("10.244.0.11"));
        String id = configId();

        awaitCondition("False: 0/2 ready nginx pods serve config " + id
                + "; not yet: chat-nginx-a (serves 0000000000000000), chat-nginx-b (serves 0000000000000000)");
        servedByA.set(id);
        awaitCondition("False: 1/2 ready nginx pods serve config " + id
                + "; not yet: chat-nginx-b (serves 0000000000000000)");
        servedByB.set(id);
        awaitCondition("True: 2/2 ready nginx pods serve config " + id);
        assertEquals(NginxConfig.hash(client.configMaps().inNamespace("applied").withName("chat-nginx").get().getData().get("nginx.conf")),
                client.pods().inNamespace("applied").withName("chat-nginx-b").get().getMetadata().getAnnotations()
                        .get("socketfleet.io/config-hash"), "the pods are stamped with the config's hash");

        b.stop(0); // one nginx stops answering
        endpoints("10.244.0.11", "10.244.0.12");
        await().atMost(WAIT).until(() -> !configId().equals(id));
        String next = configId();
        servedByA.set(next);
        awaitCondition("False: 1/2 ready nginx pods serve config " + next
                + "; not yet: chat-nginx-b (no answer)");
    }
}
