package io.socketfleet.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.socketfleet.operator.local.Executables;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nginx's metrics, end to end without a cluster: the rendered config (the pod's, with stub_status on
 * its own listener) passes {@code nginx -t}, real nginx carries requests, stub_status answers on the
 * status listener and never on the public one, nginx-prometheus-exporter (the Debian build of the
 * program the pod's sidecar image runs) turns it into metrics, and every nginx metric the Grafana
 * dashboard queries is one the exporter produces from that stub_status.
 */
class NginxMetricsIT {

    /**
     * nginx-prometheus-exporter's documented mapping (its README, "Metrics for NGINX OSS: stub
     * status metrics", and collector/nginx.go): each stub_status figure and the metric it becomes.
     * {@code nginx_up} is the exporter's own: 1 when it could read stub_status.
     */
    static final Map<String, String> EXPORTER_MAPPING = Map.of(
            "Active connections", "nginx_connections_active",
            "accepts", "nginx_connections_accepted",
            "handled", "nginx_connections_handled",
            "requests", "nginx_http_requests_total",
            "Reading", "nginx_connections_reading",
            "Writing", "nginx_connections_writing",
            "Waiting", "nginx_connections_waiting");
    static final String EXPORTER_UP = "nginx_up";

    /** stub_status's text, as nginx's ngx_http_stub_status_module writes it. */
    private static final Pattern STUB_STATUS = Pattern.compile(
            "Active connections: (\\d+) \\nserver accepts handled requests\\n (\\d+) (\\d+) (\\d+) \\n"
                    + "Reading: (\\d+) Writing: (\\d+) Waiting: (\\d+) \\n");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theExporterTurnsTheStatusListenersCountersIntoEveryNginxMetricTheDashboardQueries() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "from the node\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        int publicPort = freePort();
        int statusPort = freePort();
        int exporterPort = freePort();
        NginxRuntime runtime = Nginx.runtimeIn(dir, "127.0.0.1:" + publicPort).withStatus("127.0.0.1:" + statusPort);
        String config = NginxConfig.render(Fleets.fleet("chat", "default", 1),
                List.of(Backend.parse("chat-node-0", "127.0.0.1:" + backend.getAddress().getPort())), runtime);
        assertNull(Nginx.test(dir, config), "nginx -t rejected:\n" + config);
        Process nginx = new ProcessBuilder(Nginx.binary().toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Process exporter = null;
        try {
            String publicUrl = "http://127.0.0.1:" + publicPort;
            String statusUrl = "http://127.0.0.1:" + statusPort + NginxRuntime.STATUS_PATH;
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(publicUrl + "/").statusCode() == 200);
            int carried = 20;
            for (int i = 0; i < carried; i++) {
                assertEquals("from the node\n", get(publicUrl + "/socket.io/?i=" + i).body());
            }
            HttpResponse<String> onPublic = get(publicUrl + NginxRuntime.STATUS_PATH);
            assertFalse(STUB_STATUS.matcher(onPublic.body()).find(), "the public listener never serves stub_status: " + onPublic.body());
            assertEquals(404, get("http://127.0.0.1:" + statusPort + "/").statusCode(), "the status listener serves only stub_status");

            Map<String, Long> status = stubStatus(get(statusUrl).body());
            assertTrue(status.get("requests") >= carried + 1, "stub_status counts the requests nginx carried: " + status);
            assertTrue(status.get("Active connections") >= 1, "at least the scrape itself: " + status);
            Set<String> mapped = new TreeSet<>();
            status.keySet().forEach(field -> mapped.add(EXPORTER_MAPPING.get(field)));
            mapped.add(EXPORTER_UP);

            Path binary = Executables.find("prometheus-nginx-exporter", "apt-get install prometheus-nginx-exporter");
            exporter = new ProcessBuilder(binary.toString(), "--nginx.scrape-uri=" + statusUrl,
                    "--web.listen-address=127.0.0.1:" + exporterPort).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("exporter.out").toFile()).start();
            String metricsUrl = "http://127.0.0.1:" + exporterPort + "/metrics";
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(metricsUrl).statusCode() == 200);
            String exposition = get(metricsUrl).body();
            Map<String, Double> samples = samples(exposition);
            assertEquals(1.0, samples.get(EXPORTER_UP), "the exporter reads the status listener:\n" + exposition);
            assertTrue(samples.get("nginx_http_requests_total") >= status.get("requests"), exposition);
            Set<String> exported = MonitoringOverlayIT.seriesNames(exposition);
            Set<String> notExported = new TreeSet<>(mapped);
            notExported.removeAll(exported);
            assertEquals(Set.of(), notExported, "the documented mapping names what the exporter really produces: " + exported);

            Set<String> queried = new TreeSet<>();
            for (String query : dashboardQueries()) {
                MonitoringOverlayIT.metricNames(query).stream().filter(n -> n.startsWith("nginx_")).forEach(queried::add);
            }
            assertTrue(queried.containsAll(List.of("nginx_connections_active", "nginx_http_requests_total", "nginx_up")),
                    "the dashboard shows active connections, requests and whether nginx is scraped: " + queried);
            Set<String> unknown = new TreeSet<>(queried);
            unknown.removeAll(mapped);
            assertEquals(Set.of(), unknown, "queried by the dashboard but not produced from stub_status: " + mapped);
        } finally {
            if (exporter != null) {
                exporter.destroy();
            }
            nginx.destroy();
            nginx.waitFor();
            backend.stop(0);
        }
    }

    /** The figures of a stub_status page, by their names on the page. */
    static Map<String, Long> stubStatus(String page) {
        Matcher m = STUB_STATUS.matcher(page);
        assertTrue(m.matches(), "stub_status's format: " + page);
        Map<String, Long> figures = new LinkedHashMap<>();
        String[] names = {"Active connections", "accepts", "handled", "requests", "Reading", "Writing", "Waiting"};
        for (int i = 0; i < names.length; i++) {
            figures.put(names[i], Long.parseLong(m.group(i + 1)));
        }
        return figures;
    }

    static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(
                DeployManifestsIT.ROOT.resolve("deploy/monitoring/socketfleet-dashboard.json")));
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        return queries;
    }

    private static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new LinkedHashMap<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> {
            String[] parts = l.split(" ");
            samples.put(parts[0].split("\\{", 2)[0], Double.parseDouble(parts[parts.length - 1]));
        });
        return samples;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
