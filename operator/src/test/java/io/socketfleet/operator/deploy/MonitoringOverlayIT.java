package io.socketfleet.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.HealthServer;
import io.socketfleet.operator.testing.EndpointSliceController;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import io.socketfleet.operator.testing.SocketIoClient;
import io.socketfleet.operator.testing.SocketNodeProcess;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring/: it renders offline, its monitors select what the operator really creates,
 * and every metric the Grafana dashboard queries is on the /metrics of a running socket-node
 * (with Redis) or of the running operator reconciling a fleet.
 */
class MonitoringOverlayIT {

    /** PromQL keywords and aggregation operators (which may stand before their "by (...)"). */
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile");

    @Test
    void monitorsSelectTheNodesAndTheOperatorMetricsService() throws Exception {
        List<HasMetadata> monitoring = DeployManifestsIT.kustomize("deploy/monitoring");
        GenericKubernetesResource podMonitor = named(monitoring, "PodMonitor", "socketfleet-nodes");
        GenericKubernetesResource nginxMonitor = named(monitoring, "PodMonitor", "socketfleet-nginx");
        GenericKubernetesResource serviceMonitor = one(monitoring, "ServiceMonitor");
        assertEquals(1, monitoring.stream().filter(r -> r.getKind().equals("ConfigMap")).count());

        try (MockCluster cluster = new MockCluster()) {
            KubernetesClient client = cluster.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("mon").endMetadata().build()).create();
            client.resource(Fleets.fleet("chat", "mon", 1)).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace("mon")
                    .withName("chat-node").get() != null);
            var pod = client.apps().deployments().inNamespace("mon").withName("chat-node").get().getSpec().getTemplate();
            Map<String, Object> selected = podMonitor.get("spec", "selector", "matchLabels");
            assertTrue(pod.getMetadata().getLabels().entrySet().containsAll(selected.entrySet()),
                    "the PodMonitor selects the node pods: " + selected + " in " + pod.getMetadata().getLabels());
            String port = podMonitor.get("spec", "podMetricsEndpoints", 0, "port");
            assertTrue(pod.getSpec().getContainers().get(0).getPorts().stream().anyMatch(p -> p.getName().equals(port)),
                    "the node container has the port " + port);
            assertTrue(pod.getMetadata().getLabels().containsKey("socketfleet.io/fleet"),
                    "the relabeling reads the fleet from the pod label socketfleet.io/fleet");

            await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace("mon")
                    .withName("chat-nginx").get() != null);
            var nginxPod = client.apps().deployments().inNamespace("mon").withName("chat-nginx").get().getSpec().getTemplate();
            Map<String, Object> nginxSelected = nginxMonitor.get("spec", "selector", "matchLabels");
            assertTrue(nginxPod.getMetadata().getLabels().entrySet().containsAll(nginxSelected.entrySet()),
                    "the nginx PodMonitor selects the nginx pods: " + nginxSelected + " in " + nginxPod.getMetadata().getLabels());
            assertTrue(podMonitor.<Map<String, Object>>get("spec", "selector", "matchLabels").entrySet().stream()
                    .anyMatch(e -> !e.getValue().equals(nginxPod.getMetadata().getLabels().get(e.getKey()))),
                    "the nodes' PodMonitor does not scrape nginx pods");
            String nginxPort = nginxMonitor.get("spec", "podMetricsEndpoints", 0, "port");
            assertTrue(nginxPod.getSpec().getContainers().stream().filter(c -> c.getName().equals("metrics-exporter"))
                    .flatMap(c -> c.getPorts().stream()).anyMatch(p -> p.getName().equals(nginxPort)),
                    "the exporter beside nginx has the port " + nginxPort);
            assertTrue(nginxPod.getSpec().getContainers().stream().filter(c -> c.getName().equals("nginx"))
                    .flatMap(c -> c.getPorts().stream()).noneMatch(p -> p.getName().equals(nginxPort)),
                    "nginx's own container has no metrics port (stub_status stays on loopback)");
        }

        Service metrics = DeployManifestsIT.kustomize("deploy").stream().filter(Service.class::isInstance)
                .map(Service.class::cast).findFirst().orElseThrow();
        Map<String, Object> selected = serviceMonitor.get("spec", "selector", "matchLabels");
        assertTrue(metrics.getMetadata().getLabels().entrySet().containsAll(selected.entrySet()));
        assertEquals(metrics.getSpec().getPorts().get(0).getName(), serviceMonitor.get("spec", "endpoints", 0, "port"));
        assertEquals(true, serviceMonitor.get("spec", "endpoints", 0, "honorLabels"),
                "the fleet's namespace label is kept, not replaced by the operator's");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExportedByARunningNodeOrOperator() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(
                DeployManifestsIT.ROOT.resolve("deploy/monitoring/socketfleet-dashboard.json")));
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("query").has("query")) {
                queries.add(v.path("query").path("query").asText());
            }
        });
        assertTrue(queries.size() >= 10, queries.toString());
        Set<String> queried = new TreeSet<>();
        queries.forEach(q -> queried.addAll(metricNames(q)));
        for (String needed : List.of("socketfleet_sessions_open", "socketfleet_redis_broadcasts_published_total",
                "socketfleet_redis_connected", "socketfleet_fleet_config_applied_total", "socketfleet_fleet_balance_ratio")) {
            assertTrue(queried.contains(needed), "the dashboard shows " + needed + ": " + queried);
        }

        Set<String> exported = new TreeSet<>();
        int redisPort;
        int nodePort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            redisPort = a.getLocalPort();
            nodePort = b.getLocalPort();
        }
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (SocketNodeProcess node = SocketNodeProcess.start("127.0.0.1", nodePort, "n1",
                "--redis-url", "redis://127.0.0.1:" + redisPort);
             SocketIoClient ignored = SocketIoClient.connect(node.address());
             MockCluster cluster = new MockCluster();
             HealthServer operator = new HealthServer(0, cluster.operator(), cluster.metrics())) {
            String operatorMetrics = "http://127.0.0.1:" + operator.port() + "/metrics";
            String nodeMetrics = get("http://" + node.address() + "/metrics");
            exported.addAll(seriesNames(nodeMetrics));

            KubernetesClient client = cluster.client();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("mon").endMetadata().build()).create();
            // One failed reconcile (a write refused once), so JOSDK's failure counters exist.
            cluster.dispatcher().failOnce("PATCH", "/deployments/chat-node");
            client.resource(Fleets.fleet("chat", "mon", 1)).create();
            client.resource(new EndpointSliceBuilder().withNewMetadata().withName("chat-nodes-1").withNamespace("mon")
                    .withLabels(EndpointSliceController.labels(client, "mon", "chat-nodes")).endMetadata()
                    .withAddressType("IPv4").addNewPort().withName("http").withPort(nodePort).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).withServing(true)
                    .endConditions().endEndpoint().build())
                    .fieldManager("endpointslice-controller").forceConflicts().serverSideApply();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String text = get(operatorMetrics);
                return text.contains("socketfleet_fleet_balance_ratio{fleet=\"chat\",namespace=\"mon\"} 1.0")
                        && text.contains("operator_sdk_controllers_execution_reconcile_failure_total{")
                        && text.contains("operator_sdk_controllers_execution_reconcile_success_total{");
            });
            exported.addAll(seriesNames(get(operatorMetrics)));
        } finally {
            redis.destroy();
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        // nginx's metrics come from the exporter beside nginx: NginxMetricsIT checks them against a real one.
        missing.removeIf(name -> name.startsWith("nginx_"));
        assertEquals(Set.of(), missing, "queried by the dashboard but exported by neither a node nor the operator; exported: " + exported);
    }

    /** The metric names a PromQL expression reads: identifiers outside label matchers, ranges and strings that call nothing. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("label_values\\(([^,{]*)(\\{[^}]*})?,[^)]*\\)", "$1") // Grafana's label_values(metric, label)
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")   // strings
                .replaceAll("\\{[^}]*}", "")                                 // label matchers
                .replaceAll("\\[[^]]*]", "")                                 // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "$1"); // label lists
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (m.find()) {
            boolean call = m.group(2) != null;
            String word = m.group(1);
            if (!call && !PROMQL_WORDS.contains(word) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    /** The series names in a Prometheus text exposition (samples, not comments). */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static GenericKubernetesResource named(List<HasMetadata> resources, String kind, String name) {
        return (GenericKubernetesResource) resources.stream()
                .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static GenericKubernetesResource one(List<HasMetadata> resources, String kind) {
        List<HasMetadata> found = resources.stream().filter(r -> r.getKind().equals(kind)).toList();
        assertEquals(1, found.size(), kind);
        return (GenericKubernetesResource) found.get(0);
    }
}
