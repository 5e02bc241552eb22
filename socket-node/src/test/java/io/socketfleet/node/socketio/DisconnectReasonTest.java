package io.socketfleet.node.socketio;

import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.testing.EmbeddedEngine;
import io.socketfleet.node.testing.EmbeddedEngine.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reason each socket's disconnect handler hears, in socket.io's words: the Socket.IO
 * layer's own (namespace disconnects, a forced close of the connection) and the Engine.IO
 * session's, passed on. One client joins "/" and "/chat" over an embedded websocket.
 */
class DisconnectReasonTest {

    private final EmbeddedEngine engine = new EmbeddedEngine(EngineOptions.defaults());
    private final SocketIoServer io = new SocketIoServer(engine.server(), AdapterFactory.local(), Duration.ofSeconds(45));
    /** Namespace name → the reasons its socket was given. */
    private final Map<String, List<DisconnectReason>> heard = new ConcurrentHashMap<>();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private Connection client;

    @BeforeEach
    void connectToTwoNamespaces() {
        for (String name : List.of("/", "/chat")) {
            io.of(name).onConnection(socket -> {
                sockets.put(name, socket);
                socket.onDisconnect(reason -> heard.computeIfAbsent(name, n -> new ArrayList<>()).add(reason));
            });
        }
        client = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket");
        assertEquals(101, client.response().orElseThrow().status());
        client.sendFrame("40").sendFrame("40/chat,");
        List<String> frames = client.frames();
        assertEquals(3, frames.size(), frames.toString());
        assertTrue(frames.get(2).startsWith("40/chat,{\"sid\":"), frames.toString());
    }

    @Test
    void theClientLeavingANamespace() {
        client.sendFrame("41/chat,");
        assertEquals(Map.of("/chat", List.of(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT)), heard);
    }

    @Test
    void theServerRemovingASocket() {
        sockets.get("/chat").disconnect();
        assertEquals(List.of("41/chat,"), client.frames());
        assertEquals(Map.of("/chat", List.of(DisconnectReason.SERVER_NAMESPACE_DISCONNECT)), heard);
    }

    @Test
    void theServerClosingTheWholeConnection() {
        sockets.get("/chat").disconnect(true);
        assertEquals(Map.of("/chat", List.of(DisconnectReason.SERVER_NAMESPACE_DISCONNECT),
                "/", List.of(DisconnectReason.FORCED_SERVER_CLOSE)), heard);
        assertTrue(client.closedByServer());
    }

    @Test
    void theSessionsReasonReachesEverySocket() {
        client.drop();
        assertEquals(Map.of("/", List.of(DisconnectReason.TRANSPORT_CLOSE),
                "/chat", List.of(DisconnectReason.TRANSPORT_CLOSE)), heard);
    }

    @Test
    void anUndecodableSocketIoPacketIsAForcedClose() {
        // As socket.io 4.8 (checked against it): the Socket.IO decoder's error closes the connection, "forced close".
        client.sendFrame("4{not socket.io");
        assertEquals(Map.of("/", List.of(DisconnectReason.FORCED_CLOSE), "/chat", List.of(DisconnectReason.FORCED_CLOSE)), heard);
    }

    @Test
    void anUndecodableEngineIoPacketIsAParseErrorAndOnlyThat() {
        client.sendFrame("9");
        assertEquals(Map.of("/", List.of(DisconnectReason.PARSE_ERROR), "/chat", List.of(DisconnectReason.PARSE_ERROR)), heard);
    }

    @Test
    void aPacketForANamespaceNotJoinedIsAForcedClose() {
        client.sendFrame("42/admin,[\"x\"]");
        assertEquals(Map.of("/", List.of(DisconnectReason.FORCED_CLOSE), "/chat", List.of(DisconnectReason.FORCED_CLOSE)), heard);
    }
}
