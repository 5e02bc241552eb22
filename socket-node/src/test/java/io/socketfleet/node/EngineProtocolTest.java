package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Engine.IO and Socket.IO rules checked by hand over real HTTP and websockets. */
class EngineProtocolTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SocketNode> nodes = new ArrayList<>();

    private SocketNode node(UnaryOperator<EngineOptions> options) throws InterruptedException {
        NodeConfig config = NodeConfig.localDefaults("proto");
        SocketNode node = SocketNode.start(config.withEngine(options.apply(config.engine())), TestApp::install);
        nodes.add(node);
        return node;
    }

    private SocketNode node() throws InterruptedException {
        return node(o -> o);
    }

    @AfterEach
    void stop() {
        nodes.forEach(SocketNode::close);
    }

    private HttpResponse<String> get(SocketNode node, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(SocketNode node, String pathAndQuery, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String openPollingSession(SocketNode node) throws Exception {
        HttpResponse<String> open = get(node, "/socket.io/?EIO=4&transport=polling");
        assertEquals(200, open.statusCode());
        return Json.MAPPER.readTree(open.body().substring(1)).get("sid").asText();
    }

    @Test
    void aPollingSessionClosedBetweenPollsHearsCloseOnItsNextPollNotSessionIdUnknown() throws Exception {
        SocketNode node = node();
        String poll = "/socket.io/?EIO=4&transport=polling&sid=" + openPollingSession(node);
        assertEquals("ok", post(node, poll, "40").body());
        assertTrue(get(node, poll).body().startsWith("40"), "connected");

        node.engine().drain(Duration.ZERO); // closes the session at once, while no GET is held
        Thread.sleep(300);
        HttpResponse<String> next = get(node, poll);
        assertEquals(200, next.statusCode(), next.body());
        assertEquals("1", next.body(), "a close packet: the client reconnects (\"transport close\")");
        assertEquals(0, node.engine().openSessions(), "forgotten once told");
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", get(node, poll).body(), "and only then unknown");
    }

    @Test
    void refusesOtherProtocolVersionsWithCode5() throws Exception {
        HttpResponse<String> response = get(node(), "/socket.io/?EIO=3&transport=polling");
        assertEquals(400, response.statusCode());
        assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", response.body());
    }

    @Test
    void answersBadRequestsWithTheirErrorCodes() throws Exception {
        SocketNode node = node();
        assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", get(node, "/socket.io/?EIO=4&transport=carrier-pigeon").body());
        HttpResponse<String> unknownSid = get(node, "/socket.io/?EIO=4&transport=polling&sid=nope");
        assertEquals(400, unknownSid.statusCode());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", unknownSid.body());
        assertEquals("{\"code\":2,\"message\":\"Bad handshake method\"}", post(node, "/socket.io/?EIO=4&transport=polling", "40").body());
    }

    @Test
    void pollingHandshakeOffersTheUpgradeAndARoutableSid() throws Exception {
        SocketNode node = node();
        HttpResponse<String> open = get(node, "/socket.io/?EIO=4&transport=polling");
        assertTrue(open.body().startsWith("0{"), open.body());
        JsonNode handshake = Json.MAPPER.readTree(open.body().substring(1));
        assertTrue(handshake.get("sid").asText().matches(node.engine().routeToken() + "\\.[A-Za-z0-9_-]{22}"));
        assertEquals("[\"websocket\"]", handshake.get("upgrades").toString());
        assertEquals(25000, handshake.get("pingInterval").asInt());
        assertEquals(20000, handshake.get("pingTimeout").asInt());
        assertEquals(1000000, handshake.get("maxPayload").asInt());
        assertEquals("proto", open.headers().firstValue("X-Socketfleet-Node").orElseThrow());
    }

    @Test
    void pollingBodyOverMaxPayloadGets413() throws Exception {
        SocketNode node = node(o -> o.withMaxPayload(1000));
        String sid = openPollingSession(node);
        HttpResponse<String> response = post(node, "/socket.io/?EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(2000));
        assertEquals(413, response.statusCode());
    }

    @Test
    void overlappingPollsAre400AndCloseTheSession() throws Exception {
        SocketNode node = node();
        String sid = openPollingSession(node);
        String poll = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + poll)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(100)).until(() -> true);
        assertEquals(400, get(node, poll).statusCode());
        assertEquals("1", held.get().body(), "the held poll ends with a close packet");
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", get(node, poll).body());
    }

    @ParameterizedTest(name = "closes on {0}")
    @ValueSource(strings = {
        "42not json",
        "42{\"not\":\"an array\"}",
        "42[]",
        "42[{\"name\":1}]",
        "42[\"connect\"]",
        "42[\"disconnect\"]",
        "44{\"message\":\"clients may not send this\"}",
        "49",
        "42/admin,[\"not joined\"]",
        "40",
        "4511-[\"too many\",{\"_placeholder\":true,\"num\":0}]",
        "431",
        "2",
        "x",
        "",
        "41{\"payload\":true}",
        "42[\"ok\"]trailing",
    })
    void malformedPacketsCloseOnlyThatConnection(String packet) throws Exception {
        SocketNode node = node();
        try (RawWebSocket bystander = RawWebSocket.open(node.port()); RawWebSocket offender = RawWebSocket.open(node.port())) {
            assertTrue(bystander.connectMain().startsWith("40{\"sid\":"));
            assertTrue(offender.connectMain().startsWith("40{\"sid\":"));

            offender.send(packet);

            assertTrue(offender.closedWithin(Duration.ofSeconds(5)), "offender closed");
            bystander.send("421[\"echo\",\"still here\"]");
            assertEquals("431[\"still here\"]", bystander.nextStartingWith("43", Duration.ofSeconds(5)),
                    "the bystander is unaffected");
            assertFalse(bystander.closedWithin(Duration.ofMillis(100)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> node.metrics().scrape().contains("socketfleet_protocol_errors_total 1.0"));
    }

    @Test
    void textWhileWaitingForAttachmentsCloses() throws Exception {
        SocketNode node = node();
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
            ws.send("42[\"text instead of the attachment\"]");
            assertTrue(ws.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void binaryAttachmentOverRawWebsocketIsReassembled() throws Exception {
        SocketNode node = node();
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("451-7[\"echo\",{\"_placeholder\":true,\"num\":0}]");
            ws.sendBinary(new byte[] {1, 2, 3});
            assertEquals("461-7[{\"_placeholder\":true,\"num\":0}]", ws.nextStartingWith("46", Duration.ofSeconds(5)));
            assertEquals("<binary 3>", ws.nextNonPing(Duration.ofSeconds(5)));
        }
    }

    @Test
    void messageSentInFragmentsIsJoined() throws Exception {
        SocketNode node = node();
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.sendFragments("427[\"ec", "ho\",\"in three ", "frames\"]");
            assertEquals("437[\"in three frames\"]", ws.nextStartingWith("43", Duration.ofSeconds(10)));
            // Whole frames still pass once the fragments' aggregator is in the pipeline.
            ws.send("428[\"echo\",\"whole\"]");
            assertEquals("438[\"whole\"]", ws.nextStartingWith("43", Duration.ofSeconds(10)));
        }
    }

    @Test
    void fragmentsOverMaxPayloadClose() throws Exception {
        SocketNode node = node(o -> o.withMaxPayload(1000));
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.sendFragments("42[\"echo\",\"" + "x".repeat(600), "x".repeat(600) + "\"]");
            assertTrue(ws.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void websocketFrameOverMaxPayloadCloses() throws Exception {
        SocketNode node = node(o -> o.withMaxPayload(1000));
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("42[\"echo\",\"" + "x".repeat(5000) + "\"]");
            assertTrue(ws.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @Test
    void silentClientIsClosedAfterPingTimeout() throws Exception {
        SocketNode node = node(o -> o.withPing(Duration.ofMillis(200), Duration.ofMillis(300)));
        try (RawWebSocket silent = RawWebSocket.open(node.port()); RawWebSocket answering = RawWebSocket.open(node.port())) {
            silent.connectMain();
            answering.connectMain();
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                String frame = answering.next(Duration.ofMillis(100));
                if ("2".equals(frame)) {
                    answering.send("3");
                }
            }
            assertTrue(silent.closedWithin(Duration.ofSeconds(1)), "no pong within pingTimeout closes the session");
            assertFalse(answering.closedWithin(Duration.ofMillis(10)), "a client that answers stays");
        }
    }

    @Test
    void clientThatJoinsNoNamespaceIsClosedAfterTheConnectTimeout() throws Exception {
        NodeConfig config = NodeConfig.localDefaults("proto").withConnectTimeout(Duration.ofMillis(300));
        SocketNode node = SocketNode.start(config, TestApp::install);
        nodes.add(node);
        try (RawWebSocket idle = RawWebSocket.open(node.port()); RawWebSocket joined = RawWebSocket.open(node.port())) {
            assertTrue(idle.next(Duration.ofSeconds(5)).startsWith("0{"));
            assertTrue(joined.connectMain().startsWith("40{"));
            assertTrue(idle.closedWithin(Duration.ofSeconds(3)), "no CONNECT within the timeout");
            assertFalse(joined.closedWithin(Duration.ofMillis(500)), "a client that joined stays");
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503() throws Exception {
        SocketNode node = node(o -> o.withMaxConnections(2));
        openPollingSession(node);
        openPollingSession(node);
        HttpResponse<String> refused = get(node, "/socket.io/?EIO=4&transport=polling");
        assertEquals(503, refused.statusCode());
        assertTrue(refused.body().contains("Server at capacity"));
    }

    @Test
    void slowClientIsDroppedInsteadOfBufferingWithoutBound() throws Exception {
        SocketNode node = node(o -> o.withMaxBufferedBytes(64 * 1024));
        try (RawWebSocket slow = RawWebSocket.openNotReading(node.port())) {
            slow.next(Duration.ofSeconds(5));
            slow.send("40");
            await().atMost(Duration.ofSeconds(5)).until(() -> node.io().mainNamespace().socketCount() == 1);
            String chunk = "y".repeat(16 * 1024);
            for (int i = 0; i < 20_000 && node.engine().openSessions() > 0; i++) {
                node.io().emit("flood", chunk);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> node.engine().openSessions() == 0);
            assertTrue(node.metrics().scrape().contains("socketfleet_slow_clients_dropped_total 1.0"));
        }
    }

    @Test
    void corsHeadersOnlyForAllowedOrigins() throws Exception {
        SocketNode node = node(o -> o.withCorsOrigins(List.of("https://app.example")));
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/socket.io/?EIO=4&transport=polling")).header("Origin", "https://app.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("https://app.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", allowed.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/socket.io/?EIO=4&transport=polling")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertNull(other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void operationsEndpointsAndDrain() throws Exception {
        SocketNode node = node();
        assertEquals(200, get(node, "/healthz").statusCode());
        assertEquals(200, get(node, "/readyz").statusCode());
        assertEquals(200, get(node, "/servingz").statusCode());
        try (RawWebSocket one = RawWebSocket.open(node.port()); RawWebSocket two = RawWebSocket.open(node.port())) {
            one.connectMain();
            two.connectMain();
            String metrics = get(node, "/metrics").body();
            assertTrue(metrics.contains("socketfleet_sessions_open 2.0"), metrics);
            assertTrue(metrics.contains("socketfleet_sessions_total 2.0"));
            assertTrue(metrics.contains("socketfleet_packets_in_total"));
            assertTrue(metrics.contains("socketfleet_packets_out_total"));

            CompletableFuture<Void> drained = node.engine().drain(Duration.ofMillis(500));
            assertEquals(503, get(node, "/readyz").statusCode());
            assertEquals(200, get(node, "/servingz").statusCode(), "still serving its sessions while draining");
            assertEquals(503, get(node, "/socket.io/?EIO=4&transport=polling").statusCode());
            assertTrue(one.closedWithin(Duration.ofSeconds(3)));
            assertTrue(two.closedWithin(Duration.ofSeconds(3)));
            drained.get();
            assertEquals(200, get(node, "/healthz").statusCode(), "alive while draining");
        }
    }

    @Test
    void servesTheDemoPageAndTheOfficialClientBundle() throws Exception {
        SocketNode node = node();
        HttpResponse<String> page = get(node, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/socket.io/socket.io.min.js"));
        HttpResponse<String> bundle = get(node, "/socket.io/socket.io.min.js");
        assertEquals(200, bundle.statusCode());
        assertTrue(bundle.body().contains("Socket.IO v4"), "the npm socket.io-client bundle");
        assertEquals(404, get(node, "/nothing-here").statusCode());
    }
}
