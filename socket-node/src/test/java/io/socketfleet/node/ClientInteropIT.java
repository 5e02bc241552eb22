package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official socket.io-client (npm, run by Node) against a socket-node over real sockets. */
class ClientInteropIT {

    private static SocketNode node;
    private static String url;

    @BeforeAll
    static void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("interop-node"), TestApp::install);
        url = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void connectsEchoesAndCarriesBinaryBothWays(String mode) {
        JsonNode r = NodeScripts.scenario("basic", Map.of("url", url, "mode", mode));

        assertTrue(r.get("connected").asBoolean());
        assertEquals(20, r.get("id").asText().length(), "Socket.IO ids are 20 characters");
        assertTrue(r.get("engineId").asText().startsWith(node.engine().routeToken() + "."),
                "the Engine.IO sid starts with the node's route token");
        assertEquals("interop-node", r.at("/hello/node").asText());
        assertEquals(r.get("id").asText(), r.at("/hello/id").asText());
        assertEquals("{\"a\":1,\"nested\":[true,null,\"x\"]}", r.get("echoJson").toString());
        assertEquals("[1,2,3,255]", r.get("echoBinary").toString());
        assertEquals("meta", r.at("/serverBinaryMeta/label").asText());
        assertEquals("[7,7]", r.at("/serverBinaryMeta/nested").toString());
        assertEquals("[0,1,2,200]", r.get("serverBinary").toString());
        if (!mode.equals("default")) {
            assertEquals(mode, r.get("transport").asText());
        }
    }

    @Test
    void upgradesFromPollingToWebsocket() {
        JsonNode r = NodeScripts.scenario("upgrade", Map.of("url", url));

        assertEquals("polling", r.get("first").asText());
        assertTrue(r.get("upgraded").asBoolean(), "the engine reported the upgrade");
        assertEquals("websocket", r.get("final").asText());
        assertEquals("before", r.get("before").asText());
        assertEquals("after", r.get("after").asText());
    }

    @Test
    void namespacesAuthMiddlewareAndUnknownNamespace() {
        JsonNode r = NodeScripts.scenario("namespaces", Map.of("url", url));

        assertEquals("not authorized", r.get("refusedMessage").asText());
        assertEquals("bad token", r.at("/refusedData/reason").asText());
        assertTrue(r.at("/adminHello/ok").asBoolean());
        assertEquals("interop-node", r.get("mainHelloNode").asText());
        assertEquals("Invalid namespace", r.get("unknownMessage").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void roomsBroadcastAndBroadcastExceptSender(String mode) {
        JsonNode got = NodeScripts.scenario("rooms", Map.of("urls", List.of(url), "mode", mode)).get("got");

        assertEquals("[\"for r1\"]", got.at("/0/room").toString());
        assertEquals("[\"for r1\"]", got.at("/1/room").toString());
        assertEquals("[]", got.at("/2/room").toString(), "not in the room");
        assertEquals("[]", got.at("/0/broadcast").toString(), "the sender is left out");
        assertEquals("[\"from 0\"]", got.at("/1/broadcast").toString());
        assertEquals("[\"from 0\"]", got.at("/2/broadcast").toString());
        for (int i = 0; i < 3; i++) {
            assertEquals("[\"to all\"]", got.at("/" + i + "/all").toString(), "client " + i);
        }
    }

    @Test
    void serverEmitWithAckGetsTheAnswerOrTimesOut() {
        JsonNode r = NodeScripts.scenario("serverAck", Map.of("url", url));

        assertEquals("ping? pong", r.at("/answered/answer").asText());
        assertEquals(5, r.at("/answered/size").asInt(), "binary argument arrived whole");
        assertEquals("TimeoutException", r.at("/timedOut/error").asText());
    }

    @Test
    void serverSideDisconnectKeepsTheClientDisconnected() {
        JsonNode r = NodeScripts.scenario("serverDisconnect", Map.of("url", url));

        assertEquals("io server disconnect", r.get("reason").asText());
        assertFalse(r.get("connectedAfter").asBoolean());
        assertFalse(r.get("active").asBoolean(), "the client does not try to reconnect");
    }
}
