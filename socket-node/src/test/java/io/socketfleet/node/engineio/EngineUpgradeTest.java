package io.socketfleet.node.engineio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socketfleet.node.testing.EmbeddedEngine;
import io.socketfleet.node.testing.EmbeddedEngine.Connection;
import io.socketfleet.node.testing.EmbeddedEngine.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The polling → websocket upgrade, step by step through the node's own HTTP pipeline on
 * embedded channels: "2probe" / "3probe", the held poll released with a noop, "5", and
 * everything that can go wrong in between.
 */
class EngineUpgradeTest {

    private static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";

    private final EmbeddedEngine engine = new EmbeddedEngine(EngineOptions.defaults());
    private Connection polling;
    private String sid;

    @BeforeEach
    void openPollingSession() throws Exception {
        polling = engine.connect().get("/socket.io/?EIO=4&transport=polling");
        Response open = polling.response().orElseThrow();
        assertEquals(200, open.status());
        assertTrue(open.body().startsWith("0{"), open.body());
        sid = new ObjectMapper().readTree(open.body().substring(1)).get("sid").asText();
    }

    private String pollUri() {
        return "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    }

    private Connection upgrade() {
        Connection websocket = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid);
        assertEquals(101, websocket.response().orElseThrow().status());
        return websocket;
    }

    private EngineSession session() {
        return engine.server().find(sid).orElseThrow();
    }

    @Test
    void probeReleasesThePollAndUpgradeMovesTheSessionToTheWebsocket() {
        polling.get(pollUri());
        assertEquals(Optional.empty(), polling.response(), "a poll with nothing to send is held");

        Connection websocket = upgrade();
        websocket.sendFrame("2probe");
        assertEquals(List.of("3probe"), websocket.frames());
        assertEquals(new Response(200, "6"), polling.response().orElseThrow(), "the held poll ends with a noop");
        polling.get(pollUri());
        assertEquals(new Response(200, "6"), polling.response().orElseThrow(), "and so does every poll until the upgrade");

        session().send(EnginePacket.message("queued"));
        websocket.sendFrame("5");
        assertEquals("websocket", session().transportName());
        assertEquals(List.of("4queued"), websocket.frames(), "what was queued during the upgrade goes on the websocket");

        session().send(EnginePacket.message("after"));
        assertEquals(List.of("4after"), websocket.frames());
        polling.get(pollUri());
        assertEquals(new Response(400, BAD_REQUEST), polling.response().orElseThrow(), "polling after the upgrade is refused");
        polling.post(pollUri(), "4late");
        assertEquals(new Response(400, BAD_REQUEST), polling.response().orElseThrow());
        assertFalse(session().isClosed());
    }

    @Test
    void aWebsocketThatDoesNotProbeInTimeIsDroppedAndTheSessionKeepsPolling() {
        Connection websocket = upgrade();

        engine.advance(Duration.ofSeconds(9));
        assertFalse(websocket.closedByServer(), "still within the upgrade timeout");
        engine.advance(Duration.ofSeconds(1));
        assertTrue(websocket.closedByServer(), "no \"2probe\" within 10 s: the websocket is dropped");

        assertEquals("polling", session().transportName());
        polling.get(pollUri());
        session().send(EnginePacket.message("still here"));
        assertEquals(new Response(200, "4still here"), polling.response().orElseThrow(), "polls are answered normally again");

        Connection retry = upgrade();
        retry.sendFrame("2probe");
        assertEquals(List.of("3probe"), retry.frames(), "a later upgrade may start afresh");
    }

    /**
     * After "3probe" socket.io-client pauses polling until its requests in flight are answered, then
     * sends "5"; were the websocket dropped meanwhile, it would never poll again (engine.io-client
     * 6.6), stranded until its ping timeout. Under load that wait passed 10 s for 40 of 300 clients
     * connecting at once to a cold node.
     */
    @Test
    void anAnsweredProbeIsNotDroppedAtTheUpgradeTimeout() {
        Connection websocket = upgrade();
        engine.advance(Duration.ofSeconds(9));
        websocket.sendFrame("2probe");
        assertEquals(List.of("3probe"), websocket.frames());

        engine.advance(Duration.ofSeconds(15));
        assertFalse(websocket.closedByServer(), "the probe was answered: the client is committed to the upgrade");
        session().send(EnginePacket.message("queued"));
        websocket.sendFrame("5");
        assertEquals("websocket", session().transportName());
        assertTrue(websocket.frames().contains("4queued"), "what waited goes on the websocket");
        assertFalse(session().isClosed());
    }

    @Test
    void aClientThatNeverSendsUpgradeAfterItsProbeIsClosedByItsHeartbeat() {
        Connection websocket = upgrade();
        websocket.sendFrame("2probe");
        websocket.frames();

        // The ping waits for the upgrade (polls get noops meanwhile), so no pong comes: ping interval, then ping timeout.
        engine.advance(Duration.ofSeconds(25));
        assertFalse(session().isClosed());
        engine.advance(Duration.ofSeconds(20));
        assertTrue(engine.server().find(sid).map(EngineSession::isClosed).orElse(true), "closed at its pong deadline");
        assertTrue(websocket.closedByServer(), "and the probing websocket with it");
    }

    @Test
    void aProbingWebsocketThatGoesAwayLeavesTheSessionOnPolling() {
        Connection websocket = upgrade();
        websocket.sendFrame("2probe");
        websocket.drop();

        assertFalse(session().isClosed());
        polling.get(pollUri());
        session().send(EnginePacket.message("x"));
        assertEquals(new Response(200, "4x"), polling.response().orElseThrow());
    }

    @Test
    void anythingButProbeAndUpgradeOnTheProbingWebsocketDropsIt() {
        Connection websocket = upgrade();
        websocket.sendFrame("4too early");
        assertTrue(websocket.closedByServer());
        assertEquals("polling", session().transportName());
        assertFalse(session().isClosed());

        Connection skipsProbe = upgrade();
        skipsProbe.sendFrame("5");
        assertTrue(skipsProbe.closedByServer(), "\"5\" before \"2probe\" is not an upgrade");
        assertEquals("polling", session().transportName());
    }

    @Test
    void onlyOneWebsocketMayProbeAtATime() {
        Connection first = upgrade();
        Connection second = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid);
        assertEquals(101, second.response().orElseThrow().status(), "accepted, as engine.io does…");
        assertTrue(second.closedByServer(), "…and closed at once");

        first.sendFrame("2probe");
        assertEquals(List.of("3probe"), first.frames(), "the first probe is undisturbed");
    }

    @Test
    void aSecondWebsocketForAnUpgradedSessionNeverTakesItOver() {
        Connection first = upgrade();
        first.sendFrame("2probe").sendFrame("5");
        first.frames();

        Connection second = engine.connect().upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid);
        // engine.io accepts it and closes it at once, so the client sees a closed transport, not an HTTP error.
        assertEquals(101, second.response().orElseThrow().status());
        assertTrue(second.closedByServer());

        session().send(EnginePacket.message("still first"));
        assertEquals(List.of("4still first"), first.frames());
        assertFalse(session().isClosed());
    }
}
