package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode shows what a cluster shows: nginx's stub_status on a loopback admin port it prints
 * (never on the public listener), and the admin UI as {@code spec.adminUi} asks — log-in with the
 * user name and the password whose bcrypt hash is in the local secrets directory (the Secret's
 * stand-in), read-only when the file says so (the nodes roll onto it), the UI's origin allowed
 * cross-origin and no other.
 */
class LocalVisibilityIT {

    private static final String UI_ORIGIN = "https://admin.example.test";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void stubStatusOnItsOwnPortAndTheAdminUiAsTheSpecSays() throws Exception {
        Path secrets = Files.createTempDirectory("e2e-secrets");
        Files.createDirectories(secrets.resolve("admin-ui"));
        Files.writeString(secrets.resolve("admin-ui/password"), bcrypt("s3cret") + "\n");
        List<String> adminUi = adminUi(false);
        int nodePort = Repo.freePort();
        try (LocalFleetProcess fleet = new LocalFleetProcess("seen", 2, 2, nodePort, Map.of(), adminUi,
                List.of("--secrets-dir", secrets.toString()))) {
            String statusLine = fleet.awaitLine(l -> l.contains("stub_status"), Duration.ofSeconds(30));
            String statusUrl = statusLine.substring(statusLine.indexOf("http://"));
            assertTrue(statusUrl.startsWith("http://127.0.0.1:") && statusUrl.endsWith("/stub_status"), statusLine);
            String status = get(statusUrl, null).body();
            assertTrue(status.startsWith("Active connections: "), status);
            assertFalse(get(fleet.url() + "/stub_status", null).body().startsWith("Active connections"),
                    "the public listener never serves stub_status");
            fleet.awaitLine(l -> l.contains("admin UI: server URL " + fleet.url()) && l.contains("user ops"), Duration.ofSeconds(30));

            JsonNode in = login(fleet.url(), "ops", "s3cret");
            assertTrue(in.path("config").path("supportedFeatures").toString().contains("EMIT"), in.toString());
            assertEquals("invalid credentials", login(fleet.url(), "ops", "wrong").path("error").asText());
            assertEquals("invalid credentials", login(fleet.url(), "admin", "s3cret").path("error").asText(), "the spec's user name");

            HttpResponse<String> fromUi = get(fleet.url() + "/socket.io/?EIO=4&transport=polling", UI_ORIGIN);
            assertEquals(UI_ORIGIN, fromUi.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                    "allowedOrigins reach the nodes");
            assertNull(get(fleet.url() + "/socket.io/?EIO=4&transport=polling", "https://elsewhere.test").headers()
                    .firstValue("Access-Control-Allow-Origin").orElse(null), "no other origin");

            // Read-only: the nodes' settings change, so local mode rolls them; a new log-in may only look.
            int from = fleet.linesSoFar();
            fleet.write(String.join("\n", "apiVersion: socketfleet.io/v1alpha1", "kind: SocketFleet", "metadata:", "  name: seen",
                    "spec:", "  replicas: 2", "  node:", "    drainSeconds: 2", "    port: " + nodePort,
                    String.join("\n", adminUi(true).stream().map(l -> "  " + l).toList()), ""));
            fleet.awaitLine(from, l -> l.contains("drained and stopped"), Duration.ofSeconds(120));
            await(() -> {
                JsonNode readonly = login(fleet.url(), "ops", "s3cret");
                String features = readonly.path("config").path("supportedFeatures").toString();
                return readonly.has("config") && !features.contains("EMIT") && !features.contains("JOIN")
                        && features.contains("AGGREGATED_EVENTS");
            });
        }
    }

    private static List<String> adminUi(boolean readonly) {
        return List.of("adminUi:", "  enabled: true", "  username: ops", "  passwordSecret: { name: admin-ui, key: password }",
                "  readonly: " + readonly, "  allowedOrigins: [\"" + UI_ORIGIN + "\"]");
    }

    private static JsonNode login(String url, String username, String password) throws Exception {
        return NodeProcess.run("admin-config.js", Map.of("url", url, "username", username, "password", password));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(condition);
    }

    private HttpResponse<String> get(String url, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A bcrypt hash made the way admin-ui's documentation says to: with bcryptjs. */
    private static String bcrypt(String password) throws Exception {
        Process node = new ProcessBuilder("node", "-e", "process.stdout.write(require('bcryptjs').hashSync(process.argv[1], 10))",
                password).directory(Repo.ROOT.toFile()).start();
        String hash = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS) && node.exitValue() == 0, "node could not hash with bcryptjs");
        return hash;
    }
}
