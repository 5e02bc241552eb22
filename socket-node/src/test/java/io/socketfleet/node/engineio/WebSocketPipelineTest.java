package io.socketfleet.node.engineio;

import io.socketfleet.node.testing.EmbeddedEngine;
import io.socketfleet.node.testing.EmbeddedEngine.Connection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a connection keeps once it is a websocket, through the node's own pipeline on an embedded
 * channel: no HTTP handler and no frame aggregator — each idle websocket carries its pipeline for
 * as long as it lives.
 */
class WebSocketPipelineTest {

    private final EmbeddedEngine engine = new EmbeddedEngine(EngineOptions.defaults());

    private static List<String> names(Connection connection) {
        return connection.handlers().stream().map(Class::getSimpleName).toList();
    }

    @Test
    void aWebsocketKeepsOnlyTheBudgetTheFrameCodecFlowControlAndItsTransport() {
        Connection websocket = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket");
        assertEquals(101, websocket.response().orElseThrow().status());
        assertEquals(List.of("ConnectionBudget", "WebSocket13FrameEncoder", "WebSocket13FrameDecoder", "FlowControlHandler",
                "WebSocketTransport"), names(websocket));
    }

    @Test
    void anUpgradedSessionsWebsocketIsAsLean() {
        Connection polling = engine.connect().get("/socket.io/?EIO=4&transport=polling");
        String body = polling.response().orElseThrow().body();
        String sid = body.substring(body.indexOf("\"sid\":\"") + 7, body.indexOf("\"", body.indexOf("\"sid\":\"") + 7));
        Connection websocket = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid);
        websocket.sendFrame("2probe");
        websocket.sendFrame("5");
        assertEquals("websocket", engine.server().find(sid).orElseThrow().transportName());
        assertEquals(List.of("ConnectionBudget", "WebSocket13FrameEncoder", "WebSocket13FrameDecoder", "FlowControlHandler",
                "WebSocketTransport"), names(websocket));
    }
}
