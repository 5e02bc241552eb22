package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A local fleet with {@code spec.redis.adapter: streams}, real clients through nginx: a chat
 * broadcast crosses the stream to every client once, and the demo's presence — a
 * serverSideEmitWithAck every node answers — lists both nodes to every client.
 */
class LocalStreamsFleetIT {

    @Test
    void broadcastsAndTheDemosPresenceCrossAStreamsFleet() throws Exception {
        try (LocalFleetProcess fleet = new LocalFleetProcess("strm", 2, 1, Repo.freePort(), Map.of(),
                List.of("redis:", "  adapter: streams"))) {
            for (String node : List.of("strm-node-1", "strm-node-2")) {
                fleet.awaitLine(l -> l.contains("[" + node + "]") && l.contains("Redis streams adapter on"), Duration.ofSeconds(30));
            }
            try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 40, "mode", "websocket"))) {
                JsonNode ready = clients.next();
                assertEquals(40, ready.get("connected").asInt());
                assertEquals(2, ready.get("perNode").size(), "clients on both nodes: " + ready.get("perNode"));

                JsonNode broadcast = clients.command("broadcast");
                assertEquals(40, broadcast.get("exactlyOnce").asInt(), "every client, on both nodes, once: " + broadcast);

                // Each node asks the fleet who is there every few seconds; both nodes answer each other.
                clients.command("forget-presence");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> clients.command("report").at("/presence/2").asInt() == 40);
            }
        }
    }
}
