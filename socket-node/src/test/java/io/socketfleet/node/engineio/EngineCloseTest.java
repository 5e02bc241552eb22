package io.socketfleet.node.engineio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socketfleet.node.testing.EmbeddedEngine;
import io.socketfleet.node.testing.EmbeddedEngine.Connection;
import io.socketfleet.node.testing.EmbeddedEngine.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How an Engine.IO session ends — from the client's side, from the server's, in the middle of
 * an upgrade, or by a missing pong — with the reason the layer above is told (exactly once).
 * Driven through the node's own HTTP pipeline on embedded channels, on a virtual clock.
 */
class EngineCloseTest {

    private static final String UNKNOWN_SID = "{\"code\":1,\"message\":\"Session ID unknown\"}";

    private final EmbeddedEngine engine = new EmbeddedEngine(EngineOptions.defaults()
            .withPing(Duration.ofSeconds(25), Duration.ofSeconds(20)));
    /** What the layer above each session was told when it closed. */
    private final List<DisconnectReason> closes = new ArrayList<>();

    @BeforeEach
    void listen() {
        engine.server().onConnection(session -> session.setListener(new SessionListener() {
            @Override
            public void onMessage(EnginePacket packet) {
            }

            @Override
            public void onClose(DisconnectReason reason) {
                closes.add(reason);
            }
        }));
    }

    private static String sidOf(String openPacket) throws Exception {
        assertTrue(openPacket.startsWith("0{"), openPacket);
        return new ObjectMapper().readTree(openPacket.substring(1)).get("sid").asText();
    }

    /** A session opened directly over a websocket; the open packet is already read. */
    private record WebSocketSession(Connection connection, String sid) {
    }

    private WebSocketSession openWebSocket() throws Exception {
        Connection connection = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket");
        assertEquals(101, connection.response().orElseThrow().status());
        List<String> frames = connection.frames();
        assertEquals(1, frames.size(), frames.toString());
        return new WebSocketSession(connection, sidOf(frames.get(0)));
    }

    private String openPolling(Connection connection) throws Exception {
        return sidOf(connection.get("/socket.io/?EIO=4&transport=polling").response().orElseThrow().body());
    }

    /** Open, as opposed to closed (a closed polling session stays known until its client has heard so). */
    private boolean isOpen(String sid) {
        return engine.server().find(sid).filter(session -> !session.isClosed()).isPresent();
    }

    @Test
    void aClientClosePacketEndsAWebsocketSession() throws Exception {
        WebSocketSession ws = openWebSocket();
        ws.connection().sendFrame("1");
        assertEquals(List.of(DisconnectReason.TRANSPORT_CLOSE), closes);
        assertFalse(isOpen(ws.sid()));
        assertTrue(ws.connection().closedByServer());
    }

    @Test
    void aClientThatGoesAwayEndsItsSession() throws Exception {
        WebSocketSession ws = openWebSocket();
        ws.connection().drop();
        assertEquals(List.of(DisconnectReason.TRANSPORT_CLOSE), closes);
        assertFalse(isOpen(ws.sid()));
    }

    @Test
    void aClientClosePacketEndsAPollingSessionAndItsHeldPoll() throws Exception {
        Connection getter = engine.connect();
        String sid = openPolling(getter);
        getter.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
        Connection poster = engine.connect().post("/socket.io/?EIO=4&transport=polling&sid=" + sid, "1");

        assertEquals(new Response(200, "ok"), poster.response().orElseThrow());
        assertEquals(List.of(DisconnectReason.TRANSPORT_CLOSE), closes);
        assertEquals(200, getter.response().orElseThrow().status(), "the held poll is answered, not left hanging");
        getter.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
        assertEquals(new Response(400, UNKNOWN_SID), getter.response().orElseThrow());
    }

    @Test
    void anAnnouncedCloseSendsWhatIsQueuedThenTheCloseFrame() throws Exception {
        WebSocketSession ws = openWebSocket();
        EngineSession session = engine.server().find(ws.sid()).orElseThrow();
        session.onLoop(() -> {
            session.send(EnginePacket.message("1"));
            session.close(DisconnectReason.FORCED_SERVER_CLOSE, true);
        });
        // engine.io sends no close packet on a websocket: the close frame says it, and cannot overtake the DISCONNECT.
        assertEquals(List.of("41"), ws.connection().frames());
        assertTrue(ws.connection().closedByServer());
        assertEquals(List.of(DisconnectReason.FORCED_SERVER_CLOSE), closes);
    }

    @Test
    void drainingEndsTheTransportWithoutAClosePacketSoClientsReconnect() throws Exception {
        WebSocketSession ws = openWebSocket();
        engine.server().drain(Duration.ZERO);
        engine.advance(Duration.ZERO);
        assertEquals(List.of(), ws.connection().frames());
        assertTrue(ws.connection().closedByServer());
        assertEquals(List.of(DisconnectReason.SERVER_SHUTTING_DOWN), closes);
    }

    @Test
    void closingDuringAnUpgradeEndsBothTransportsAndReportsOnce() throws Exception {
        Connection polling = engine.connect();
        String sid = openPolling(polling);
        polling.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
        Connection probing = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid);
        probing.sendFrame("2probe");
        assertEquals(List.of("3probe"), probing.frames());
        assertEquals(new Response(200, "6"), polling.response().orElseThrow());

        EngineSession session = engine.server().find(sid).orElseThrow();
        session.close(DisconnectReason.FORCED_SERVER_CLOSE, false);
        session.close(DisconnectReason.TRANSPORT_CLOSE, false);

        assertTrue(probing.closedByServer(), "the probing websocket goes too");
        assertEquals(List.of(DisconnectReason.FORCED_SERVER_CLOSE), closes, "one close, the first reason");
        assertFalse(isOpen(sid));
        polling.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
        assertEquals(new Response(200, "1"), polling.response().orElseThrow(), "the next poll is told the session closed");
    }

    @Test
    void aMissingPongClosesTheSessionAfterThePingTimeout() throws Exception {
        WebSocketSession ws = openWebSocket();
        engine.advance(Duration.ofSeconds(25));
        assertEquals(List.of("2"), ws.connection().frames(), "the server pings every pingInterval");
        engine.advance(Duration.ofSeconds(19));
        assertEquals(List.of(), closes);
        engine.advance(Duration.ofSeconds(1));
        assertEquals(List.of(DisconnectReason.PING_TIMEOUT), closes);
        assertTrue(ws.connection().closedByServer());
        assertFalse(isOpen(ws.sid()));
    }

    @Test
    void aPongKeepsTheSessionAndRearmsTheInterval() throws Exception {
        WebSocketSession ws = openWebSocket();
        engine.advance(Duration.ofSeconds(25));
        assertEquals(List.of("2"), ws.connection().frames());
        engine.advance(Duration.ofSeconds(5));
        ws.connection().sendFrame("3");

        engine.advance(Duration.ofSeconds(24));
        assertEquals(List.of(), ws.connection().frames(), "the next ping comes pingInterval after the pong");
        engine.advance(Duration.ofSeconds(1));
        assertEquals(List.of("2"), ws.connection().frames());
        assertEquals(List.of(), closes);
    }

    @Test
    void aPollingClientThatStopsPollingTimesOutToo() throws Exception {
        Connection polling = engine.connect();
        String sid = openPolling(polling);
        engine.advance(Duration.ofSeconds(25));
        assertTrue(isOpen(sid), "the ping waits in the session's buffer for a poll that never comes");
        engine.advance(Duration.ofSeconds(20));
        assertEquals(List.of(DisconnectReason.PING_TIMEOUT), closes);
        assertFalse(isOpen(sid));
    }

    @Test
    void protocolViolationsCloseWithTheirOwnReasons() throws Exception {
        WebSocketSession pinging = openWebSocket();
        pinging.connection().sendFrame("2");
        WebSocketSession garbled = openWebSocket();
        garbled.connection().sendFrame("9");

        assertEquals(List.of(DisconnectReason.TRANSPORT_ERROR, DisconnectReason.PARSE_ERROR), closes,
                "a ping from the client breaks the heartbeat's direction; an unknown packet type is a parse error");
        assertTrue(pinging.connection().closedByServer());
        assertTrue(garbled.connection().closedByServer());
    }
}
