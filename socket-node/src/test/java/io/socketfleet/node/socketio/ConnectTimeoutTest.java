package io.socketfleet.node.socketio;

import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.testing.EmbeddedEngine;
import io.socketfleet.node.testing.EmbeddedEngine.Connection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect timeout closes sessions that join no namespace; one whose CONNECT arrived in time
 * and is still being decided (here an async middleware; in a fleet, a session read back from Redis
 * for recovery) is not one of them. Embedded websocket, virtual time.
 */
class ConnectTimeoutTest {

    private final EmbeddedEngine engine = new EmbeddedEngine(EngineOptions.defaults());
    private final SocketIoServer io = new SocketIoServer(engine.server(), AdapterFactory.local(), Duration.ofSeconds(10));
    private final CompletableFuture<Void> decision = new CompletableFuture<>();
    private Connection client;

    @BeforeEach
    void slowMiddleware() {
        io.mainNamespace().useAsync(socket -> decision);
        client = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket");
        assertEquals(101, client.response().orElseThrow().status());
        assertTrue(client.frames().get(0).startsWith("0{"));
    }

    @Test
    void aSessionThatSendsNoConnectIsClosedAtTheTimeout() {
        engine.advance(Duration.ofSeconds(9));
        assertFalse(client.closedByServer());
        engine.advance(Duration.ofSeconds(1));
        assertTrue(client.closedByServer());
    }

    @Test
    void aConnectStillBeingDecidedAtTheTimeoutIsWaitedFor() {
        engine.advance(Duration.ofSeconds(2));
        client.sendFrame("40");
        engine.advance(Duration.ofSeconds(25));
        assertFalse(client.closedByServer(), "its CONNECT came in time; the server is the slow one");

        decision.complete(null);
        engine.advance(Duration.ofMillis(1));
        List<String> frames = client.frames();
        assertTrue(frames.stream().anyMatch(f -> f.startsWith("40{\"sid\":")), frames.toString());
        engine.advance(Duration.ofSeconds(10));
        assertFalse(client.closedByServer(), "joined: no connect deadline any more (and within its first ping's timeout)");
    }

    @Test
    void aRefusedConnectLeavesTheSessionToTheTimeoutAgain() {
        client.sendFrame("40");
        engine.advance(Duration.ofSeconds(12));
        decision.completeExceptionally(new ConnectionRefusedException("no", null));
        engine.advance(Duration.ofMillis(1));
        assertTrue(client.frames().stream().anyMatch(f -> f.startsWith("44{")));
        assertFalse(client.closedByServer());
        engine.advance(Duration.ofSeconds(10));
        assertTrue(client.closedByServer(), "refused and joined nowhere: closed at the next deadline");
    }
}
