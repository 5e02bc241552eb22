package io.socketfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.socketfleet.operator.metrics.OperatorMetrics;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's probe and metrics endpoints follow its state. */
class HealthServerTest {

    @Test
    void readyOnlyOnceStartedAndMetricsInPrometheusFormat() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpClient http = HttpClient.newHttpClient();
        try (KubernetesClient client = server.createClient()) {
            OperatorMetrics metrics = new OperatorMetrics();
            Operator operator = OperatorRuntime.create(client, null, metrics);
            try (HealthServer health = new HealthServer(port, operator, metrics)) {
                assertEquals(200, get(http, port, "/healthz").statusCode());
                assertEquals(503, get(http, port, "/readyz").statusCode(), "not started yet");
                operator.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> get(http, port, "/readyz").statusCode() == 200);
                String scraped = get(http, port, "/metrics").body();
                assertTrue(scraped.contains("socketfleet_operator_started 1.0"), scraped);
                assertTrue(scraped.contains("jvm_memory_used_bytes"));
            } finally {
                operator.stop();
            }
        } finally {
            server.destroy();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
