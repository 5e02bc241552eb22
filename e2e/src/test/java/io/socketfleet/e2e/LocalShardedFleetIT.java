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
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A local fleet with {@code spec.redis.pubsub: sharded}: its nodes run the sharded adapter on the
 * fleet's real Redis 7 and carry real client traffic through nginx — a chat broadcast reaches every
 * client on every node exactly once; switching the file back to classic rolls the nodes onto it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalShardedFleetIT {

    private static final String NAME = "shard";
    private static LocalFleetProcess fleet;
    private static int nodePort;

    @BeforeAll
    static void start() throws Exception {
        nodePort = Repo.freePort();
        fleet = new LocalFleetProcess(NAME, 3, 1, nodePort, Map.of(), List.of("redis:", "  pubsub: sharded"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** The nodes whose start-up line (after {@code from}) names this adapter. */
    private static Set<String> nodesRunning(int from, String adapter) {
        Set<String> nodes = new TreeSet<>();
        for (String line : fleet.lines().subList(from, fleet.linesSoFar())) {
            if (line.contains(" listening on ") && line.contains(adapter)) {
                nodes.add(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
            }
        }
        return nodes;
    }

    @Test
    @Order(1)
    void everyNodeRunsShardedPubSubAndABroadcastReachesEveryClientOnce() throws Exception {
        assertEquals(Set.of(NAME + "-node-1", NAME + "-node-2", NAME + "-node-3"),
                nodesRunning(0, "sharded Redis adapter (subscription mode dynamic)"), "the node pods' settings carry REDIS_PUBSUB");
        try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 90, "mode", "websocket"))) {
            JsonNode ready = clients.next();
            assertEquals(90, ready.get("connected").asInt());
            assertEquals(3, ready.get("perNode").size(), "clients on every node: " + ready.get("perNode"));

            JsonNode broadcast = clients.command("broadcast");
            assertEquals(90, broadcast.get("received").asInt(), "every client, on every node: " + broadcast);
            assertEquals(90, broadcast.get("exactlyOnce").asInt(), "and exactly once: " + broadcast);
            assertEquals(90, clients.command("echo").get("acked").asInt());
        }
    }

    @Test
    @Order(2)
    void switchingBackToClassicRollsTheNodesOntoIt() throws Exception {
        int mark = fleet.linesSoFar();
        fleet.write(String.join("\n", "apiVersion: socketfleet.io/v1alpha1", "kind: SocketFleet", "metadata:", "  name: " + NAME,
                "spec:", "  replicas: 3", "  node:", "    drainSeconds: 1", "    port: " + nodePort, "  redis:", "    pubsub: classic", ""));
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> nodesRunning(mark, "Redis adapter on").size() >= 3 && fleet.lines().subList(mark, fleet.linesSoFar())
                        .stream().filter(l -> l.contains("drained and stopped")).count() >= 3);
        assertTrue(nodesRunning(mark, "sharded").isEmpty(), "no node started sharded after the switch");
        try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 30, "mode", "websocket"))) {
            clients.next();
            assertEquals(30, clients.command("broadcast").get("exactlyOnce").asInt());
        }
    }
}
