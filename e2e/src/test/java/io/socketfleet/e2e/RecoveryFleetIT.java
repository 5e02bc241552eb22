package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions that outlive their node, end to end: a local fleet with {@code spec.redis.adapter:
 * streams} (real nginx, Redis and socket-node processes), 300 official clients with their default
 * options in 10 rooms, and a steady stream of numbered room messages. A node is killed with
 * SIGKILL, then one is stopped with SIGTERM (drain), then one is cut off from its clients (frozen with
 * SIGSTOP until they have all given it up, then let go on with SIGCONT), then every node is rolled to
 * new settings; each time every client that lost its node comes back on another with its socket id and rooms,
 * and every client has every message of its room once, in order. Every reconnect counts, those of
 * clients the rebalancer moves to a restarted (empty) node meanwhile too. The steps share one fleet.
 * Meant to hold on a loaded machine (CI, a load average of 20): waits are generous, nothing is timed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryFleetIT {

    private static final int NODE_PORT = 3100;
    /** spec.redis of the fleet, as lines of spec (LocalFleetProcess indents them). */
    private static final List<String> STREAMS = List.of("redis:", "  adapter: streams");
    private static LocalFleetProcess fleet;
    private static NodeProcess clients;

    @BeforeAll
    static void start() throws Exception {
        fleet = new LocalFleetProcess("recover", 3, 2, NODE_PORT, Map.of(), STREAMS);
        clients = new NodeProcess("recovery-clients.js", Map.of("url", fleet.url(), "count", 300, "rooms", 10, "intervalMs", 50));
        JsonNode ready = clients.next();
        assertEquals(300, ready.get("connected").asInt(), ready.toString());
        System.out.println("300 clients in 10 rooms: " + ready.get("perNode"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (fleet != null) {
            // nginx's own account (upstream errors, refusals), kept for whoever reads a failure.
            java.nio.file.Path errors = fleet.nginxConfig().resolveSibling("nginx-error.log");
            if (java.nio.file.Files.exists(errors)) {
                java.nio.file.Files.createDirectories(Repo.ARTIFACTS);
                java.nio.file.Files.copy(errors, Repo.ARTIFACTS.resolve("recovery-fleet-nginx-error.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            fleet.close();
        }
    }

    private static Map<String, Integer> perNode() throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        clients.command("report").get("perNode").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    private static ProcessHandle node(String name) {
        return fleet.process().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("--node-name=" + name))
                .findFirst().orElseThrow();
    }

    /** Node 1's own address: the publisher's while node 2 or 3 goes, so the stream goes on meanwhile. */
    private static final String NODE_1 = "http://127.0.0.2:" + NODE_PORT;

    /** Publishes for a while, does {@code action}, waits for every client to be back, stops, and returns the tally. */
    private static JsonNode publishAround(String publisher, Runnable action, Duration settle) throws Exception {
        clients.command(publisher == null ? "start" : "start " + publisher);
        int before = clients.command("report").get("received").asInt();
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.command("report").get("received").asInt() > before + 3000);
        action.run();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> clients.command("report").get("connected").asInt() == 300);
        // Keep publishing a little after everyone is back, so live delivery after recovery is checked too.
        int now = clients.command("report").get("received").asInt();
        await().atMost(settle.plusSeconds(30)).until(() -> clients.command("report").get("received").asInt() > now + 2000);
        JsonNode tally = clients.command("stop");
        System.out.println("tally: " + tally);
        return tally;
    }

    private static void assertNothingLost(JsonNode tally, int movedAtLeast) {
        assertEquals(0, tally.get("lost").asInt(), "messages lost: " + tally);
        assertEquals(0, tally.get("duplicated").asInt(), "messages duplicated: " + tally);
        assertEquals(0, tally.get("outOfOrder").asInt(), "messages out of order: " + tally);
        assertEquals(tally.get("deliveriesExpected").asInt(), tally.get("delivered").asInt(), "each once: " + tally);
        int reconnected = tally.get("reconnected").asInt();
        assertTrue(reconnected >= movedAtLeast, "the clients of the node that went reconnected: " + tally);
        assertEquals(reconnected, tally.get("recoveredEveryTime").asInt(), "every reconnect recovered: " + tally);
        assertEquals(reconnected, tally.get("sameId").asInt(), "with the same socket id: " + tally);
        assertEquals(0, tally.get("freshSessions").asInt(), tally.toString());
        assertTrue(tally.get("sentWhileAway").asInt() > 0, "the room streams went on while clients were away: " + tally);
    }

    @Test
    @Order(1)
    void aKilledNodesClientsRecoverElsewhereWithNothingLost() throws Exception {
        Map<String, Integer> before = perNode();
        int victims = before.getOrDefault("recover-node-2", 0);
        assertTrue(victims > 0, "node 2 holds clients: " + before);
        int mark = fleet.linesSoFar();
        JsonNode tally = publishAround(NODE_1, () -> {
            node("recover-node-2").destroyForcibly(); // SIGKILL: nothing is written on the way out
        }, Duration.ofSeconds(5));
        fleet.awaitLine(mark, l -> l.contains("recover-node-2 died"), Duration.ofSeconds(10));
        fleet.awaitLine(mark, l -> l.contains("ready backends 2 -> 3"), Duration.ofSeconds(60)); // restarted
        System.out.printf("kill -9 of a node holding %d of 300 clients: %d reconnected, %d recovered with their id, "
                        + "%d of %d messages delivered (%d sent to their rooms while they were away), lost %d, duplicated %d; "
                        + "reconnect median %s ms, max %s ms%n",
                victims, tally.get("reconnected").asInt(), tally.get("sameId").asInt(), tally.get("delivered").asInt(),
                tally.get("deliveriesExpected").asInt(), tally.get("sentWhileAway").asInt(), tally.get("lost").asInt(),
                tally.get("duplicated").asInt(), tally.get("recoverMsMedian"), tally.get("recoverMsMax"));
        assertEquals(victims, tally.at("/movedFrom/recover-node-2").asInt(), tally.toString());
        assertNothingLost(tally, victims);
    }

    @Test
    @Order(2)
    void aDrainedNodesClientsRecoverElsewhereWithNothingLost() throws Exception {
        int mark = fleet.linesSoFar();
        Map<String, Integer> before = perNode();
        int victims = before.getOrDefault("recover-node-3", 0);
        JsonNode tally = publishAround(NODE_1, () -> node("recover-node-3").destroy(), Duration.ofSeconds(5)); // SIGTERM: drain
        fleet.awaitLine(mark, l -> l.contains("ready backends 2 -> 3"), Duration.ofSeconds(60)); // back
        System.out.printf("SIGTERM drain of a node holding %d of 300 clients: %d reconnected, %d recovered, lost %d, "
                        + "duplicated %d; reconnect median %s ms%n", victims, tally.get("reconnected").asInt(),
                tally.get("sameId").asInt(), tally.get("lost").asInt(), tally.get("duplicated").asInt(), tally.get("recoverMsMedian"));
        assertNothingLost(tally, victims);
    }

    /**
     * A partition as its clients meet it: the node goes silent (SIGSTOP; the kernel still holds the
     * connections open), so they hear no ping for pingInterval + pingTimeout and reconnect through nginx,
     * which has meanwhile dropped the node for its missed readiness probes. Then the node comes back
     * (SIGCONT) with every session it held now owned elsewhere: it must neither deliver to nor write over
     * them, so the tally must still show each message once, in order.
     */
    @Test
    @Order(3)
    void aPartitionedNodesClientsRecoverElsewhereWithNothingLost() throws Exception {
        Map<String, Integer> before = perNode();
        String cutOff = before.getOrDefault("recover-node-2", 0) >= before.getOrDefault("recover-node-3", 0)
                ? "recover-node-2" : "recover-node-3";
        int victims = before.getOrDefault(cutOff, 0);
        assertTrue(victims > 0, cutOff + " holds clients: " + before);
        ProcessHandle silent = node(cutOff);
        JsonNode tally = publishAround(NODE_1, () -> {
            signal(silent, "STOP");
            // Default ping interval and timeout: 45 s without a ping before a client gives its node up.
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> perNode().getOrDefault(cutOff, 0) == 0);
            signal(silent, "CONT");
        }, Duration.ofSeconds(5));
        assertTrue(silent.isAlive(), "the node came back from the partition instead of being restarted");
        System.out.printf("partition (SIGSTOP) of a node holding %d of 300 clients: %d reconnected, %d recovered with their id, "
                        + "lost %d, duplicated %d; reconnect median %s ms%n", victims, tally.get("reconnected").asInt(),
                tally.get("sameId").asInt(), tally.get("lost").asInt(), tally.get("duplicated").asInt(), tally.get("recoverMsMedian"));
        assertEquals(victims, tally.at("/movedFrom/" + cutOff).asInt(), tally.toString());
        assertNothingLost(tally, victims);
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            assertEquals(0, exit, "kill -" + signal + " " + process.pid());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(4)
    void aRollingChangeOfNodeSettingsLosesNothing() throws Exception {
        int mark = fleet.linesSoFar();
        JsonNode tally = publishAround(null, () -> {
            try {
                fleet.write(String.join("\n", "apiVersion: socketfleet.io/v1alpha1", "kind: SocketFleet", "metadata:",
                        "  name: recover", "spec:", "  replicas: 3", "  node:", "    drainSeconds: 2", "    port: " + NODE_PORT,
                        "    pingIntervalMs: 20000", "  " + STREAMS.get(0), "  " + STREAMS.get(1), ""));
                for (String old : new String[] {"recover-node-1", "recover-node-2", "recover-node-3"}) {
                    fleet.awaitLine(mark, l -> l.contains(old + " drained and stopped"), Duration.ofSeconds(120));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(5));
        System.out.printf("rolling 3 nodes to new settings: %d clients reconnected, %d recovered, lost %d, duplicated %d%n",
                tally.get("reconnected").asInt(), tally.get("sameId").asInt(), tally.get("lost").asInt(),
                tally.get("duplicated").asInt());
        assertNothingLost(tally, 250);
    }
}
