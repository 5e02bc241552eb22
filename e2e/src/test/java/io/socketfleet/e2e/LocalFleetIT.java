package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local fleet end to end: real nginx with the rendered config, real Redis, socket-node
 * processes, and the official socket.io-client — balancing, sid routing, scaling both ways,
 * a node dying, an invalid edit, and a clean stop. The steps share one fleet, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFleetIT {

    private static LocalFleetProcess fleet;

    @BeforeAll
    static void start() throws Exception {
        // No rebalancing: these tests drive raw polling sessions by hand, and a node over its fair
        // share would close some of them (RebalancingIT covers that behaviour).
        fleet = new LocalFleetProcess("chat", 3, 2, 0, Map.of("rebalanceSessionsPerSecond", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        fleet.close();
    }

    private static Map<String, Integer> perNode(JsonNode report) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        report.get("perNode").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    @Test
    @Order(1)
    void spreads300WebsocketsEvenlyAndABroadcastReachesEachOnce() throws Exception {
        try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 300, "mode", "websocket"))) {
            JsonNode ready = clients.next();
            Map<String, Integer> counts = perNode(ready);
            double mean = 300.0 / 3;
            int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            System.out.printf("balance over 3 nodes, 300 websocket clients: %s, max/mean %.2f%n", counts, max / mean);

            assertEquals(300, ready.get("connected").asInt());
            assertEquals(Set.of("chat-node-1", "chat-node-2", "chat-node-3"), counts.keySet(), "every node gets clients");
            assertTrue(max / mean <= 1.5, "max/mean " + max / mean + " above 1.5: " + counts);

            JsonNode broadcast = clients.command("broadcast");
            assertTrue(broadcast.at("/ack/ok").asBoolean(), broadcast.toString());
            assertEquals(300, broadcast.get("received").asInt(), "every client, on every node");
            assertEquals(300, broadcast.get("exactlyOnce").asInt(), "and exactly once");
        }
    }

    @Test
    @Order(2)
    void pollingRequestsOfASessionAllReachItsOwningNode() throws Exception {
        JsonNode results = NodeProcess.run("polling-routing.js", Map.of("url", fleet.url(), "sessions", 20, "rounds", 5)).get("results");
        Set<String> owners = new HashSet<>();
        for (JsonNode session : results) {
            String owner = session.get("nodes").get(0).asText();
            owners.add(owner);
            for (JsonNode status : session.get("statuses")) {
                assertEquals(200, status.asInt(), session.toString());
            }
            for (JsonNode node : session.get("nodes")) {
                assertEquals(owner, node.asText(), "request of " + session.get("sid").asText() + " served elsewhere");
            }
        }
        assertTrue(owners.size() > 1, "new polling sessions are spread too: " + owners);
    }

    @Test
    @Order(3)
    void pollingOnlyAndUpgradingClientsWorkThroughNginx() throws Exception {
        for (String mode : List.of("polling", "default")) {
            try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 30, "mode", mode))) {
                clients.next();
                JsonNode echo = clients.command("echo");
                assertEquals(30, echo.get("acked").asInt(), mode + ": every chat acknowledged");
                String expected = mode.equals("polling") ? "polling" : "websocket";
                await().atMost(Duration.ofSeconds(10)).until(() -> clients.command("report").at("/transports/" + expected).asInt() == 30);
                JsonNode report = clients.command("report");
                assertEquals(30, report.get("connected").asInt(), mode + ": " + report);
                assertEquals(0, report.get("disconnected").asInt(), mode + ": no session lost (no 'Session ID unknown'): " + report);
                assertEquals(0, report.get("errors").size(), mode + ": " + report);
                assertEquals(30, report.at("/transports/" + expected).asInt(), report.toString());
            }
        }
    }

    @Test
    @Order(4)
    void scalingUpKeepsOpenConnectionsAndNewOnesReachTheNewNode() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 60, "mode", "websocket"))) {
            held.next();
            int mark = fleet.linesSoFar();
            long started = System.nanoTime();
            fleet.write("chat", 4, 2);
            fleet.awaitLine(mark, l -> l.contains("ready backends 3 -> 4"), Duration.ofSeconds(60));
            System.out.printf("scale 3 -> 4: new node in nginx after %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertEquals(4, serverLines(fleet.nginxConfig()));

            try (NodeProcess fresh = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 80, "mode", "websocket"))) {
                Map<String, Integer> counts = perNode(fresh.next());
                System.out.println("new connections after scaling to 4: " + counts);
                assertTrue(counts.getOrDefault("chat-node-4", 0) > 0, "the fourth node gets new connections: " + counts);
            }
            JsonNode report = held.command("report");
            assertEquals(60, report.get("connected").asInt());
            assertEquals(0, report.get("disconnected").asInt(), "reloading nginx dropped no open connection: " + report);
        }
    }

    @Test
    @Order(5)
    void scalingDownDrainsTheEmptiestNodesAndEveryoneStaysReachable() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 80, "mode", "websocket"))) {
            Map<String, Integer> before = perNode(held.next());
            // The two nodes holding the fewest clients leave (the higher-numbered on a tie): the fewest reconnect.
            List<String> leaving = java.util.stream.Stream.of("chat-node-1", "chat-node-2", "chat-node-3", "chat-node-4")
                    .sorted(java.util.Comparator.comparingInt((String n) -> before.getOrDefault(n, 0))
                            .thenComparing(java.util.Comparator.<String>reverseOrder()))
                    .limit(2).toList();
            int mark = fleet.linesSoFar();
            fleet.write("chat", 2, 2);
            fleet.awaitLine(mark, l -> l.contains("ready backends 4 -> 2"), Duration.ofSeconds(30));
            fleet.awaitLine(mark, l -> l.contains(leaving.get(0) + " drained and stopped"), Duration.ofSeconds(30));
            fleet.awaitLine(mark, l -> l.contains(leaving.get(1) + " drained and stopped"), Duration.ofSeconds(30));
            assertEquals(2, serverLines(fleet.nginxConfig()));

            await().atMost(Duration.ofSeconds(30)).until(() -> held.command("report").get("connected").asInt() == 80);
            JsonNode report = held.command("report");
            Map<String, Integer> after = perNode(report);
            System.out.println("scale 4 -> 2: before " + before + ", after " + after + ", disconnects " + report.get("reasons"));
            Set<String> staying = new java.util.TreeSet<>(Set.of("chat-node-1", "chat-node-2", "chat-node-3", "chat-node-4"));
            leaving.forEach(staying::remove);
            assertEquals(staying, after.keySet(), "the emptiest nodes " + leaving + " left");
            int moved = before.getOrDefault(leaving.get(0), 0) + before.getOrDefault(leaving.get(1), 0);
            assertEquals(moved, report.at("/reasons/transport close").asInt(0), "exactly the drained nodes' clients reconnected");

            JsonNode broadcast = held.command("broadcast");
            assertEquals(80, broadcast.get("received").asInt());
            assertEquals(80, broadcast.get("exactlyOnce").asInt());
        }
    }

    @Test
    @Order(6)
    void aKilledNodeLeavesNginxItsClientsReconnectAndItIsRestarted() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 40, "mode", "websocket"))) {
            Map<String, Integer> before = perNode(held.next());
            // One of the two nodes left after the scale-down (which two depends on where clients were).
            String name = before.keySet().iterator().next();
            String address = "127.0.0." + (Integer.parseInt(name.substring("chat-node-".length())) + 1) + ":3000";
            ProcessHandle victim = fleet.process().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("--node-name=" + name))
                    .findFirst().orElseThrow();
            int mark = fleet.linesSoFar();
            long killedAt = System.nanoTime();
            victim.destroyForcibly();

            fleet.awaitLine(mark, l -> l.contains(name + " died"), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !Files.readString(fleet.nginxConfig()).contains(address));
            await().atMost(Duration.ofSeconds(20)).until(() -> held.command("report").get("connected").asInt() == 40);
            System.out.printf("killed %s holding %d clients: all 40 connected again after %d ms%n",
                    name, before.getOrDefault(name, 0), (System.nanoTime() - killedAt) / 1_000_000);

            fleet.awaitLine(mark, l -> l.contains("ready backends 1 -> 2"), Duration.ofSeconds(30));
            assertTrue(Files.readString(fleet.nginxConfig()).contains(address), "restarted in its slot and listed again");
        }
    }

    @Test
    @Order(7)
    void changedNodeSettingsRollTheNodesWithoutLosingClients() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 40, "mode", "websocket"))) {
            Map<String, Integer> before = perNode(held.next());
            int mark = fleet.linesSoFar();
            fleet.write(String.join("\n", "apiVersion: socketfleet.io/v1alpha1", "kind: SocketFleet", "metadata:", "  name: chat",
                    "spec:", "  replicas: 2", "  node:", "    drainSeconds: 2", "    pingIntervalMs: 20000", ""));
            // One node at a time: a new node starts first; an old one drains only once the new one is
            // ready, and nginx swaps the two in one reload, so the upstream never shrinks below two.
            for (String old : before.keySet()) {
                fleet.awaitLine(mark, l -> l.contains("ready backends 2 -> 2") && l.contains("removed") && l.contains("(" + old + ")"),
                        Duration.ofSeconds(60));
                fleet.awaitLine(mark, l -> l.contains(old + " drained and stopped"), Duration.ofSeconds(30));
            }
            List<String> changes = fleet.lines().subList(mark, fleet.linesSoFar()).stream().filter(l -> l.contains("ready backends")).toList();
            assertTrue(changes.stream().allMatch(l -> l.contains("ready backends 2 -> 2")), "never fewer than two listed: " + changes);
            assertTrue(changes.stream().allMatch(l -> l.split("\\(chat-node-").length == 3), "one node swapped per reload: " + changes);
            assertEquals(2, serverLines(fleet.nginxConfig()));
            await().atMost(Duration.ofSeconds(30)).until(() -> held.command("report").get("connected").asInt() == 40);
            Map<String, Integer> after = perNode(held.command("report"));
            System.out.println("rolled nodes for new settings: before " + before + ", after " + after);
            assertTrue(after.keySet().stream().noneMatch(before::containsKey), "every client moved to a new node: " + after);
            JsonNode broadcast = held.command("broadcast");
            assertEquals(40, broadcast.get("exactlyOnce").asInt());
        }
    }

    @Test
    @Order(8)
    void anInvalidEditIsReportedAndChangesNothing() throws Exception {
        String config = Files.readString(fleet.nginxConfig());
        int mark = fleet.linesSoFar();
        fleet.write("apiVersion: socketfleet.io/v1alpha1\nkind: SocketFleet\nmetadata:\n  name: chat\nspec:\n  replicas: -1\n");
        String line = fleet.awaitLine(mark, l -> l.contains("invalid edit"), Duration.ofSeconds(10));
        assertTrue(line.contains("spec.replicas"), line);
        Thread.sleep(1000);
        assertEquals(config, Files.readString(fleet.nginxConfig()));
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fleet.url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
    }

    @Test
    @Order(9)
    void stoppingLeavesNoProcessAndNoFileBehind() throws Exception {
        Path workDir = fleet.nginxConfig().getParent();
        List<ProcessHandle> children = new ArrayList<>(fleet.process().descendants().toList());
        assertTrue(children.size() >= 4, "nginx, redis and the nodes: " + children.size());

        assertEquals(0, fleet.stop());
        for (ProcessHandle child : children) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        }
        assertFalse(Files.exists(workDir), "temporary files removed");
        assertTrue(fleet.lines().stream().noneMatch(l -> l.contains("did not report the new config")),
                "every reload was seen live");
        assertTrue(fleet.lines().stream().anyMatch(l -> l.contains("nothing left running")),
                String.join("\n", fleet.lines().subList(Math.max(0, fleet.lines().size() - 8), fleet.lines().size())));
    }

    private static int serverLines(Path config) throws Exception {
        int count = 0;
        for (Iterator<String> it = Files.readAllLines(config).iterator(); it.hasNext(); ) {
            if (it.next().strip().startsWith("server 127.0.0.")) {
                count++;
            }
        }
        return count;
    }
}
