package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RecoveryApp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection state recovery on one node (its sessions and broadcasts kept in memory), with the
 * official client: what comes back, what does not, and the middleware rule.
 */
class ConnectionStateRecoveryIT {

    private static SocketNode start(Duration window, AtomicReference<RecoveryApp> app) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults("recovering").withAdapter(AdapterSettings.streams(window)),
                node -> app.set(RecoveryApp.install(node)));
    }

    @Test
    void aClientThatLostItsTransportGetsItsIdRoomsDataAndWhatItMissed() throws Exception {
        AtomicReference<RecoveryApp> app = new AtomicReference<>();
        try (SocketNode node = start(Duration.ofMinutes(2), app)) {
            for (String transports : new String[] {"default", "websocket"}) {
                Map<String, Object> options = transports.equals("default") ? Map.of() : Map.of("transports", new String[] {"websocket"});
                int runsBefore = app.get().middlewareRuns.get();
                JsonNode r = NodeScripts.scenario("recovery.js", "recover",
                        Map.of("url", "http://127.0.0.1:" + node.port(), "away", 3, "clientOptions", options));

                assertTrue(r.get("recovered").asBoolean(), transports + ": " + r);
                assertEquals(r.get("firstId").asText(), r.get("id").asText(), transports);
                assertEquals("[0,1,2,3,4,5]", r.get("got").toString(), transports + ": missed messages once each, in order");
                assertEquals(new TreeSet<>(Set.of(r.get("id").asText(), "r1")).toString(),
                        Json.MAPPER.convertValue(r.at("/who/rooms"), TreeSet.class).toString());
                assertEquals("alice", r.at("/who/data/name").asText());
                assertTrue(r.at("/who/recovered").asBoolean());
                // alice and bob went through the middleware once; alice's return skipped it
                assertEquals(runsBefore + 2, app.get().middlewareRuns.get(), transports);
            }
        }
    }

    @Test
    void aClientAwayLongerThanTheWindowGetsAFreshSession() throws Exception {
        AtomicReference<RecoveryApp> app = new AtomicReference<>();
        try (SocketNode node = start(Duration.ofMillis(1000), app)) {
            JsonNode r = NodeScripts.scenario("recovery.js", "late",
                    Map.of("url", "http://127.0.0.1:" + node.port(), "awayMs", 2500));

            assertFalse(r.get("recovered").asBoolean(), r.toString());
            assertNotEquals(r.get("firstId").asText(), r.get("id").asText());
            assertFalse(r.at("/who/recovered").asBoolean());
            assertEquals("carol", r.at("/who/data/name").asText(), "the application saw a new socket and set it up again");
        }
    }

    @Test
    void aClientThatLeftTheNamespaceItselfGetsAFreshSession() throws Exception {
        AtomicReference<RecoveryApp> app = new AtomicReference<>();
        try (SocketNode node = start(Duration.ofMinutes(2), app)) {
            JsonNode r = NodeScripts.scenario("recovery.js", "leaves", Map.of("url", "http://127.0.0.1:" + node.port()));

            assertFalse(r.get("recovered").asBoolean(), r.toString());
            assertNotEquals(r.get("firstId").asText(), r.get("id").asText());
        }
    }
}
