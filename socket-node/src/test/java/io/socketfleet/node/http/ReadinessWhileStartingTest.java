package io.socketfleet.node.http;

import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.testing.EmbeddedEngine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node binds its port before Redis and the application are set up, and refuses handshakes (503
 * "starting") until it has learnt its route token. Its readiness must say so: a probe that answered
 * 200 then put the node in front of clients that were all refused (seen as a 503 on a websocket
 * handshake to a node a test had waited for with /healthz).
 */
class ReadinessWhileStartingTest {

    private final EmbeddedEngine engine = EmbeddedEngine.starting(EngineOptions.defaults());

    @Test
    void notReadyNorServingUntilTheNodeTakesSessions() {
        assertEquals(new EmbeddedEngine.Response(503, "starting\n"), engine.connect().get("/readyz").response().orElseThrow());
        assertEquals(new EmbeddedEngine.Response(503, "starting\n"), engine.connect().get("/servingz").response().orElseThrow());
        assertEquals(200, engine.connect().get("/healthz").response().orElseThrow().status(), "alive all along");
        assertEquals(503, engine.connect().get("/socket.io/?EIO=4&transport=polling").response().orElseThrow().status(),
                "what the probe stands for: a handshake now is refused");

        engine.finishStarting();

        EmbeddedEngine.Response ready = engine.connect().get("/readyz").response().orElseThrow();
        assertEquals(200, ready.status());
        assertTrue(ready.body().startsWith("ready"), ready.body());
        assertEquals(new EmbeddedEngine.Response(200, "serving\n"), engine.connect().get("/servingz").response().orElseThrow());
        assertEquals(200, engine.connect().get("/socket.io/?EIO=4&transport=polling").response().orElseThrow().status());
    }
}
