package io.socketfleet.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running operator's /metrics, scraped over HTTP while it reconciles a fleet against the
 * mock API server: JOSDK's reconcile counters and timers, and the fleet's own backends, config
 * writes and confirmed configs. An HTTP server on 127.0.0.2 plays the nginx pod's /nginx-healthz.
 */
class OperatorMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FLEET = "fleet=\"chat\",namespace=\"watched\"";
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> served = new AtomicReference<>("0000000000000000");
    private MockCluster cluster;
    private KubernetesClient client;
    private HealthServer health;
    private HttpServer nginx;

    @BeforeEach
    void start() throws IOException {
        cluster = new MockCluster();
        client = cluster.client();
        health = new HealthServer(0, cluster.operator(), cluster.metrics());
        nginx = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        nginx.createContext("/nginx-healthz", exchange -> {
            exchange.getResponseHeaders().add(NginxConfig.CONFIG_ID_HEADER, served.get());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        nginx.start();
    }

    @AfterEach
    void stop() {
        nginx.stop(0);
        health.close();
        cluster.close();
    }

    @Test
    void exportsReconcilesAndTheFleetsBackendsConfigWritesAndConfirmedConfigs() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("watched").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "watched", 2);
        fleet.getSpec().getNginx().setPort(nginx.getAddress().getPort());
        client.resource(fleet).create();
        readyNginxPod("chat-nginx-a", "127.0.0.2");
        endpoints("10.244.0.11", "10.244.0.12");

        awaitMetric("socketfleet_fleet_backends{" + FLEET + ",state=\"ready\"}", 2);
        awaitMetric("socketfleet_fleet_backends{" + FLEET + ",state=\"serving\"}", 2);
        double writes = metric("socketfleet_fleet_config_writes_total{" + FLEET + "}").orElseThrow();
        assertTrue(writes >= 1, "a config was written: " + writes);
        awaitMetric("socketfleet_fleet_nginx_pods_behind{" + FLEET + "}", 1);
        assertEquals(0, metric("socketfleet_fleet_config_applied_total{" + FLEET + "}").orElseThrow());

        served.set(configId()); // the nginx pod reloads and serves the config in the ConfigMap
        awaitMetric("socketfleet_fleet_config_applied_total{" + FLEET + "}", 1);
        assertEquals(0, metric("socketfleet_fleet_nginx_pods_behind{" + FLEET + "}").orElseThrow());
        assertEquals(1, metric("socketfleet_fleet_config_apply_seconds_count{" + FLEET + "}").orElseThrow());

        String text = scrape();
        assertTrue(sum(text, "operator_sdk_reconciliations_started_total") >= 2, text);
        assertTrue(sum(text, "operator_sdk_reconciliations_success_total") >= 1, text);
        assertTrue(sum(text, "operator_sdk_controllers_execution_reconcile_seconds_count") >= 1, text);
        assertTrue(text.contains("operator_sdk_events_received_total"), text);

        double before = metric("socketfleet_fleet_config_writes_total{" + FLEET + "}").orElseThrow();
        endpoints("10.244.0.11");
        awaitMetric("socketfleet_fleet_backends{" + FLEET + ",state=\"ready\"}", 1);
        assertEquals(before + 1, metric("socketfleet_fleet_config_writes_total{" + FLEET + "}").orElseThrow());

        client.resources(SocketFleet.class).inNamespace("watched").withName("chat").delete();
        await().atMost(WAIT).until(() -> !scrape().contains("fleet=\"chat\""));
    }

    private void readyNginxPod(String name, String ip) {
        client.pods().inNamespace("watched").resource(new PodBuilder().withNewMetadata().withName(name)
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "nginx").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build()).create();
        client.pods().inNamespace("watched").withName(name).editStatus(pod -> {
            pod.setStatus(new PodStatusBuilder().withPodIP(ip).addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .build());
            return pod;
        });
    }

    private void endpoints(String... ips) {
        EndpointSliceController.publishReady(client, "watched", "chat-nodes", ips);
    }

    private String configId() {
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace("watched").withName("chat-nginx").get() != null);
        return NginxConfig.configId(client.configMaps().inNamespace("watched").withName("chat-nginx").get().getData()
                .get("nginx.conf"));
    }

    private String scrape() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + health.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The value of one series, written as in the exposition (name and labels in order). */
    private Optional<Double> metric(String series) {
        return scrape().lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)));
    }

    private void awaitMetric(String series, double expected) {
        try {
            await().atMost(WAIT).until(() -> metric(series).filter(v -> v == expected).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(series + " never became " + expected + "; it is " + metric(series) + " in\n" + scrape(), e);
        }
    }

    /** The sum over every series of a metric (whatever its labels). */
    private static double sum(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }
}
