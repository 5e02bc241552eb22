package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.ServerApiApp;
import io.socketfleet.node.testing.ServerApiApp.Leaving;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket-level server API socket.io applications use — once/off, onAny and onAnyOutgoing,
 * packet middleware, "disconnecting", socket.request and the handshake, volatile emits, in() —
 * each exercised by the official socket.io-client over real sockets (src/test/js/server-api.js).
 */
class ServerApiIT {

    private static final ServerApiApp app = new ServerApiApp();
    private static SocketNode node;
    private static String url;

    @BeforeAll
    static void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("api-node"), app::install);
        url = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonNode run(String scenario, Map<String, Object> args) {
        return NodeScripts.scenario("server-api.js", scenario, args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void onceAnswersOnceAndOffRemovesHandlers(String mode) {
        JsonNode r = run("onceOff", Map.of("url", url, "mode", mode));

        assertEquals("[\"once\",\"timeout\"]", r.get("once").toString(), "a once-handler runs for the first event only");
        assertEquals("counted", r.get("counted").asText());
        assertEquals("dropped", r.get("dropped").asText());
        assertEquals("timeout", r.get("countedAfterOff").asText(), "off(event, handler) removed the handler");
        assertEquals("other-1", r.get("other").asText(), "the first of two handlers acks (the second's ack is ignored)");
        assertEquals("timeout", r.get("otherAfterOffAll").asText(), "off(event) removed both");
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void catchAllHandlersSeeEveryEventBothWays(String mode) {
        JsonNode r = run("anyHandlers", Map.of("url", url, "mode", mode));

        List<String> incoming = texts(r.get("incoming"));
        assertEquals(List.of("alpha[1, {\"b\":2}]", "beta[]", "incoming?[]"), incoming);
        List<String> afterOff = texts(r.get("incomingAfterOff"));
        assertFalse(afterOff.stream().anyMatch(e -> e.startsWith("gamma")), "offAny removed the handler: " + afterOff);
        assertTrue(texts(r.get("outgoing")).containsAll(List.of("direct[1]", "broadcasted[2]")),
                "onAnyOutgoing sees the socket's own emits and the broadcasts reaching it: " + r.get("outgoing"));
        assertEquals(texts(r.get("outgoing")), texts(r.get("outgoingAfterOff")), "offAnyOutgoing stopped the recording");
        assertEquals("[[\"direct\",1],[\"broadcasted\",2],[\"direct\",1],[\"broadcasted\",2]]", r.get("got").toString(),
                "the client got every event either way");
    }

    @Test
    void prependedCatchAllHandlersRunFirstAndAreListedFirst() {
        JsonNode r = run("anyOrder", Map.of("url", url, "mode", "websocket"));

        assertEquals("[\"prepended:any-order?\",\"added:any-order?\"]", r.get("incoming").toString());
        assertEquals("[\"prepended:order-out\",\"added:order-out\"]", r.get("outgoing").toString());
        // anyHandlers() registers one of each before: listenersAny holds all three, the prepended one first.
        assertEquals(3, r.get("listenersAny").asInt());
        assertTrue(r.get("listenersAnyFirst").asBoolean());
        assertEquals(3, r.get("listenersAnyOutgoing").asInt());
        assertTrue(r.get("listenersAnyOutgoingFirst").asBoolean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void packetMiddlewareStopsChangesAndDelaysEvents(String mode) {
        JsonNode r = run("packetMiddleware", Map.of("url", url, "mode", mode));

        assertEquals("timeout", r.get("forbidden").asText(), "a refused event reaches no handler, its ack never comes");
        assertEquals("[\"x\",\"decorated\"]", r.get("decorated").toString(), "middleware changed the arguments");
        assertEquals("[\"y\",\"waited\"]", r.get("slow").toString());
        assertTrue(r.get("slowMs").asLong() >= 200, "the async middleware held the event: " + r.get("slowMs"));
        assertTrue(r.get("stillConnected").asBoolean(), "a refused event alone does not disconnect (as in socket.io)");
        assertEquals("[\"unauthorized event\",\"kick me\"]", r.get("errors").toString(),
                "the socket's error handlers got each refusal");
        assertEquals("io server disconnect", r.get("reason").asText(), "an error handler may disconnect the socket");
    }

    @ParameterizedTest
    @CsvSource({"websocket,client,client namespace disconnect", "polling,server,server namespace disconnect",
            "websocket,transport,transport close", "polling,transport,transport close"})
    void disconnectingStillSeesTheRooms(String mode, String how, String reason) throws InterruptedException {
        app.leaving.clear();
        JsonNode r = run("disconnecting", Map.of("url", url, "mode", mode, "how", how));
        String id = r.get("id").asText();

        List<Leaving> seen = new ArrayList<>();
        while (seen.size() < 2) {
            Leaving next = app.leaving.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "both handlers ran; saw " + seen);
            seen.add(next);
        }
        assertEquals(new Leaving(id, "disconnecting", reason(reason), Set.of(id, "r1", "r2")),
                seen.get(0), "disconnecting runs first, rooms still joined");
        assertEquals(new Leaving(id, "disconnect", reason(reason), Set.of()), seen.get(1),
                "disconnect runs after the rooms are left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void handshakeAndRequestDescribeTheOpeningRequest(String mode) {
        JsonNode r = run("handshake", Map.of("url", url, "mode", mode));
        JsonNode info = r.get("info");

        long issued = info.get("issued").asLong();
        assertTrue(issued >= r.get("before").asLong() - 1000 && issued <= r.get("after").asLong() + 1000, "issued " + issued);
        assertEquals(issued / 1000, r.get("parsedTime").asLong() / 1000,
                "handshake.time parses in JavaScript to the same second: " + info.get("time"));
        assertTrue(info.get("url").asText().startsWith("/socket.io/?"), info.get("url").asText());
        assertTrue(info.get("url").asText().contains("foo=bar") && info.get("url").asText().contains("transport=" + mode));
        assertEquals(info.get("url"), info.get("requestUrl"), "socket.request's URL is the handshake's");
        assertEquals("GET", info.get("requestMethod").asText());
        assertEquals("[\"bar\"]", info.at("/query/foo").toString());
        assertEquals("127.0.0.1:" + node.port(), info.get("host").asText());
        assertEquals("127.0.0.1", info.get("address").asText());
        assertFalse(info.get("secure").asBoolean(), "plain HTTP");
        assertFalse(info.get("xdomain").asBoolean(), "no Origin header");
        assertTrue(info.hasNonNull("requestUserAgent") || mode.equals("websocket"),
                "the request keeps the allow-listed headers: " + info);
    }

    @Test
    void anOriginMakesTheHandshakeCrossDomain() {
        JsonNode r = run("handshake", Map.of("url", url, "mode", "websocket", "origin", "http://elsewhere.example"));

        assertTrue(r.at("/info/xdomain").asBoolean(), r.toString());
    }

    @Test
    void volatileEmitsAreDroppedWhileAPollIsNotHeld() {
        JsonNode r = run("volatileEmits", Map.of("url", url, "mode", "polling"));

        // The first emit answers the held poll; with none held, the volatile ones are dropped and the rest wait.
        assertEquals("[1,3]", r.get("direct").toString());
        assertEquals("[1,3]", r.get("broadcast").toString());
    }

    @Test
    void volatileEmitsGoOutOnAWritableWebsocket() {
        JsonNode r = run("volatileEmits", Map.of("url", url, "mode", "websocket"));

        assertEquals("[1,2,3]", r.get("direct").toString());
        assertEquals("[1,2,3]", r.get("broadcast").toString());
    }

    @Test
    void inIsAnAliasOfTo() {
        JsonNode r = run("aliases", Map.of("url", url));

        assertEquals("[\"via in()\"]", r.get("gotA").toString(), "socket.in() leaves out the sender, as socket.to()");
        assertEquals("[\"via in()\",\"via socket.in()\"]", r.get("gotB").toString());
    }

    private static DisconnectReason reason(String text) {
        return java.util.Arrays.stream(DisconnectReason.values()).filter(r -> r.text().equals(text)).findFirst().orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
