package io.socketfleet.node;

import io.socketfleet.node.engineio.EngineError;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.RawHttp;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests no real client sends get a clear answer, create nothing and throw nothing. */
class MalformedRequestTest {

    private static final String BAD_REQUEST = EngineError.BAD_REQUEST.json();

    private SocketNode node;
    private EscapedExceptions escaped;

    @BeforeEach
    void start() throws InterruptedException {
        escaped = EscapedExceptions.watch();
        node = SocketNode.start(NodeConfig.localDefaults("malformed"), TestApp::install);
    }

    @AfterEach
    void stop() {
        node.close();
        escaped.close();
    }

    private RawHttp.Response send(String request) throws Exception {
        try (RawHttp connection = RawHttp.open(node.port())) {
            connection.write(request);
            return connection.readResponse();
        }
    }

    private String pollingSid() throws Exception {
        RawHttp.Response open = send(RawHttp.get("/socket.io/?EIO=4&transport=polling"));
        return Json.MAPPER.readTree(open.body().substring(1)).get("sid").asText();
    }

    /** A websocket request as a browser sends it, minus whatever the test leaves out. */
    private static String upgrade(String target, List<String> headers) {
        return RawHttp.get(target, headers.toArray(String[]::new));
    }

    @ParameterizedTest(name = "query {0}")
    @ValueSource(strings = {"EIO=4&transport=polling&x=%zz", "EIO=4&transport=polling&%", "EIO=%E0%A4%A&transport=polling"})
    void brokenEscapeInTheQueryIsA400WithTheEngineIoBody(String query) throws Exception {
        RawHttp.Response response = send(RawHttp.get("/socket.io/?" + query));
        assertEquals(400, response.status());
        assertEquals(BAD_REQUEST, response.body());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals(0, node.engine().openSessions());
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void brokenEscapeInThePathIsA400() throws Exception {
        assertEquals(400, send(RawHttp.get("/%zz")).status());
        assertEquals(400, send(RawHttp.get("/socket.io/%zz?EIO=4&transport=polling")).status());
        assertEquals(List.of(), escaped.found());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no key", "short key", "no version", "version 12", "no Connection: Upgrade"})
    void websocketHandshakeWithoutAValidKeyIsA400AndCreatesNoSession(String flaw) throws Exception {
        List<String> headers = new java.util.ArrayList<>(List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
        switch (flaw) {
            case "no key" -> headers.remove(2);
            case "short key" -> headers.set(2, "Sec-WebSocket-Key: c2hvcnQ=");
            case "no version" -> headers.remove(3);
            case "version 12" -> headers.set(3, "Sec-WebSocket-Version: 12");
            default -> headers.set(1, "Connection: keep-alive");
        }
        RawHttp.Response response = send(upgrade("/socket.io/?EIO=4&transport=websocket", headers));
        assertEquals(400, response.status());
        assertEquals(BAD_REQUEST, response.body());
        assertEquals(0, node.engine().openSessions(), "no session for a refused handshake");
        assertTrue(node.metrics().scrape().contains("socketfleet_sessions_total 0.0"));

        // The same flaw on the upgrade of a live polling session: refused, and the session keeps polling.
        String sid = pollingSid();
        RawHttp.Response upgradeResponse = send(upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid, headers));
        assertEquals(400, upgradeResponse.status());
        assertEquals(BAD_REQUEST, upgradeResponse.body());
        try (RawHttp poll = RawHttp.open(node.port())) {
            poll.write("POST /socket.io/?EIO=4&transport=polling&sid=" + sid
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n40");
            assertEquals("ok", poll.readResponse().body());
            poll.write(RawHttp.get("/socket.io/?EIO=4&transport=polling&sid=" + sid));
            assertTrue(poll.readResponse().body().startsWith("40{\"sid\""), "the session still works over polling");
        }
        assertEquals(List.of(), escaped.found(), "no exception escapes the handshake");
    }

    @Test
    void aWellFormedWebsocketStillConnectsAfterTheRefusals() throws Exception {
        send(upgrade("/socket.io/?EIO=4&transport=websocket", List.of("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Version: 13")));
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            assertTrue(ws.connectMain().startsWith("40{\"sid\""));
            assertFalse(ws.closedWithin(Duration.ofMillis(100)));
        }
    }
}
