package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node drains behind real nginx, rendered as the operator renders a terminating-but-serving
 * endpoint: its long-polling clients (the official socket.io-client) keep getting acks from it
 * until it closes their sessions, then reconnect to the other node; new clients never reach it;
 * and no client ever meets "Session ID unknown" (which the client reports as a transport error).
 */
class DrainSafeRoutingIT {

    private static final int DRAIN_SECONDS = 8;
    private static final Pattern CONFIG_ID = Pattern.compile("add_header X-Socketfleet-Config ([0-9a-f]{16}) always;");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @AfterEach
    void stopAll() {
        processes.forEach(p -> p.toHandle().destroyForcibly());
    }

    @Test
    void drainingNodeKeepsItsPollingSessionsUntilItClosesThemAndTakesNoNewOnes() throws Exception {
        // nginx workers (an unprivileged user when the test runs as root) must reach their temp dirs.
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        int portA = Repo.freePort();
        int portB = Repo.freePort();
        Process nodeA = node("drain-a", portA);
        Process nodeB = node("drain-b", portB);
        String a = "127.0.0.1:" + portA;
        String b = "127.0.0.1:" + portB;
        int nginxPort = Repo.freePort();
        Path fleet = dir.resolve("drain.yaml");
        Files.writeString(fleet, "apiVersion: socketfleet.io/v1alpha1\nkind: SocketFleet\nmetadata: {name: drain}\n"
                + "spec: {replicas: 2, node: {drainSeconds: " + DRAIN_SECONDS + "}}\n");

        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, render(fleet, nginxPort, "--backend", a, "--backend", b));
        Process nginx = start(List.of(nginx(), "-p", dir.toString(), "-c", config.toString(), "-g", "daemon off;"), "nginx");
        String url = "http://127.0.0.1:" + nginxPort;
        awaitConfig(url, Files.readString(config));

        try (NodeProcess clients = new NodeProcess("drain-polling.js", Map.of("url", url, "count", 16, "intervalMs", 250))) {
            JsonNode ready = clients.next();
            long onB = count(ready.get("ready"), "drain-b");
            assertTrue(onB >= 2 && onB <= 14, "both nodes have polling clients: " + ready);

            // The pod is terminating: the node drains (SIGTERM) and the operator renders it serving, not ready
            // (rendered first here, as starting the renderer's JVM takes longer than the operator's reaction).
            String draining = render(fleet, nginxPort, "--backend", a, "--draining-backend", b);
            assertTrue(draining.contains(b + ";  # " + b + ", draining") && !draining.contains("server " + b), draining);
            nodeB.toHandle().destroy();
            Files.writeString(config, draining);
            assertEquals(0, start(List.of(nginx(), "-p", dir.toString(), "-c", config.toString(), "-s", "reload"), "reload")
                    .waitFor(), "nginx -s reload");
            awaitConfig(url, draining);
            clients.command("mark");

            JsonNode opened = clients.command("open 8");
            assertEquals(8, count(opened.get("opened"), "drain-a"), "new connections go to the ready node only: " + opened);

            assertTrue(nodeB.waitFor(DRAIN_SECONDS + 10, TimeUnit.SECONDS), "the draining node exits once its sessions are closed");
            // Let the drained clients reconnect and tick a few times on the remaining node.
            Thread.sleep(3000);
            JsonNode report = clients.command("report").get("clients");
            System.out.println("drain-safe routing, per client: " + report);

            int drainedClients = 0;
            int drainedClientsAckedAfterReload = 0;
            for (JsonNode client : report) {
                assertTrue(client.get("errors").isEmpty(), "no connect error: " + client);
                for (JsonNode reason : client.get("disconnects")) {
                    assertEquals("transport close", reason.asText(),
                            "a session ends only when its node closes it, never as an unknown sid (transport error): " + client);
                }
                if (client.get("nodes").get(0).asText().equals("drain-b")) {
                    drainedClients++;
                    drainedClientsAckedAfterReload += client.at("/acksAfterMark/drain-b").asInt() > 0 ? 1 : 0;
                    assertEquals(List.of("transport close"), texts(client.get("disconnects")), "closed once, by the node: " + client);
                    assertEquals("drain-a", client.get("nodes").get(1).asText(), "reconnected to the ready node: " + client);
                }
                assertTrue(client.get("connected").asBoolean(), "connected again: " + client);
                assertTrue(client.at("/acks/drain-a").asInt() >= 1, "acks from the ready node: " + client);
                // A chat in flight when its node closes the session is lost with it; nothing else may be.
                int lostAllowed = client.get("nodes").get(0).asText().equals("drain-b") ? 1 : 0;
                assertTrue(client.get("failedAcks").asInt() <= lostAllowed, "acks lost: " + client);
            }
            assertEquals(onB, drainedClients);
            // The node closes its sessions spread over the drain period, so most outlive the reload by seconds.
            assertTrue(drainedClientsAckedAfterReload >= (onB + 1) / 2, drainedClientsAckedAfterReload + " of " + onB
                    + " clients of the draining node got acks from it after nginx took it out of the upstream");
        }
        assertTrue(nodeA.isAlive() && nginx.isAlive());
    }

    private Process node(String name, int port) throws Exception {
        Process node = start(List.of(Repo.java(), "-XX:+UseSerialGC", "-Xmx128m", "-jar", Repo.requireJar(Repo.NODE_JAR).toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--node-name", name,
                "--advertise-address", "127.0.0.1:" + port, "--drain-seconds", Integer.toString(DRAIN_SECONDS)), name);
        URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return node;
    }

    /** {@code socketfleet-operator render}, the operator's renderer, with nginx's files kept in the test's directory. */
    private String render(Path fleet, int port, String... backends) throws Exception {
        List<String> command = new ArrayList<>(List.of(Repo.java(), "-jar", Repo.requireJar(Repo.OPERATOR_JAR).toString(), "render",
                "-f", fleet.toString(), "--listen", "127.0.0.1:" + port, "--runtime-dir", dir.toString()));
        command.addAll(List.of(backends));
        Process render = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, render.waitFor(), "render failed");
        return text;
    }

    /** Waits until nginx answers with this config's id: the reload has taken effect. */
    private void awaitConfig(String url, String config) {
        Matcher id = CONFIG_ID.matcher(config);
        assertTrue(id.find(), config);
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/nginx-healthz")).build();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> id.group(1).equals(
                http.send(probe, HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Socketfleet-Config").orElse("")));
    }

    private Process start(List<String> command, String name) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static String nginx() {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path candidate = Path.of(dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("nginx not found: apt-get install nginx-light");
    }

    private static long count(JsonNode nodes, String node) {
        long n = 0;
        for (JsonNode each : nodes) {
            n += each.asText().equals(node) ? 1 : 0;
        }
        return n;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
