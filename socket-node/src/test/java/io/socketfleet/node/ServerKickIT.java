package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code emit("bye"); disconnect(true)} on the server, seen by the official socket.io-client:
 * what was emitted before the kick arrives, the client reports "io server disconnect" and
 * stays away (on polling too, where the close used to drop the queued packets).
 */
class ServerKickIT {

    private static SocketNode node;
    private static String url;

    @BeforeAll
    static void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("kick-node"), TestApp::install);
        url = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "default"})
    void aServerKickDeliversWhatCameBeforeAndSticks(String mode) {
        JsonNode r = NodeScripts.scenario("serverKick", Map.of("url", url, "mode", mode));

        assertEquals("[\"see you\"]", r.get("got").toString(), "the event emitted before the kick arrives");
        assertEquals("io server disconnect", r.get("reason").asText());
        assertEquals(0, r.get("reconnects").asInt(), "the client does not come back");
        assertFalse(r.get("connectedAfter").asBoolean());
        assertFalse(r.get("active").asBoolean());
        assertTrue(r.get("bystanderConnected").asBoolean(), "another client on the node is untouched");
        assertEquals("still here", r.get("echoed").asText());
    }
}
