package io.socketfleet.node;

import io.socketfleet.node.http.StaticContent;
import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.Floods;
import io.socketfleet.node.testing.NodeMemory;
import io.socketfleet.node.testing.RawHttp;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that sends but never reads must not grow the node: the node stops reading from it,
 * everyone else is served meanwhile, and the peer gets every answer once it reads again.
 */
class BackpressureTest {

    /** Growth of direct memory a flood may cause; the unfixed node grew by hundreds of MiB. */
    private static final long BOUND = 32L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SocketNode node;
    private EscapedExceptions escaped;

    @BeforeEach
    void start() throws InterruptedException {
        escaped = EscapedExceptions.watch();
        // The flooding peers never answer heartbeats; keep those out of the way on a slow machine.
        NodeConfig config = NodeConfig.localDefaults("backpressure");
        // The flooding peers never join a namespace: the connect timeout is held off like the heartbeat.
        node = SocketNode.start(config.withConnectTimeout(Duration.ofMinutes(5))
                        .withEngine(config.engine().withPing(Duration.ofMinutes(5), Duration.ofMinutes(5))),
                TestApp::install);
    }

    @AfterEach
    void stop() {
        node.close();
        escaped.close();
    }

    @Test
    void pipelinedStaticFloodFromANonReaderStaysBoundedAndTheFlooderIsDropped() throws Exception {
        int requests = 10_000;
        long before = NodeMemory.directBytes();
        long heapBefore = NodeMemory.heapAfterGcBytes();

        try (RawHttp attacker = RawHttp.openNotReading(node.port()); NodeMemory.Peak peak = new NodeMemory.Peak()) {
            Floods.pipelined(attacker, RawHttp.get(StaticContent.CLIENT_BUNDLE), requests);

            Thread.sleep(2_000);
            wellBehavedClientsAreServed();
            long during = peak.peak();
            long heapDuring = NodeMemory.heapAfterGcBytes();
            System.out.printf("pipelined flood of %d requests for the client bundle: direct %s -> peak %s, heap after GC %s -> %s%n",
                    requests, NodeMemory.mib(before), NodeMemory.mib(during), NodeMemory.mib(heapBefore), NodeMemory.mib(heapDuring));
            assertTrue(during - before < BOUND, "direct memory grew by " + NodeMemory.mib(during - before));
            assertTrue(heapDuring - heapBefore < BOUND, "heap grew by " + NodeMemory.mib(heapDuring - heapBefore));
            assertTrue(attacker.closedWithin(Duration.ofSeconds(30)), "more unanswered requests than the codec keeps: dropped");
        }
        assertTrue(node.metrics().scrape().contains("socketfleet_protocol_errors_total 1.0"), "counted");
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void pipeliningPeerThatPausesReadingIsPausedAndThenAnsweredInFull() throws Exception {
        int requests = 100; // 4.6 MB of answers: far more than the socket buffers and the high-water mark hold
        int bundleSize = get(StaticContent.CLIENT_BUNDLE).body().length();
        long before = NodeMemory.directBytes();
        try (RawHttp peer = RawHttp.openNotReading(node.port()); NodeMemory.Peak peak = new NodeMemory.Peak()) {
            peer.write(RawHttp.get(StaticContent.CLIENT_BUNDLE).repeat(requests));
            Thread.sleep(1_000);
            wellBehavedClientsAreServed();
            long during = peak.peak();
            System.out.printf("%d pipelined requests for %d bytes each, not read: direct %s -> peak %s%n",
                    requests, bundleSize, NodeMemory.mib(before), NodeMemory.mib(during));
            assertTrue(during - before < BOUND, "direct memory grew by " + NodeMemory.mib(during - before));

            // Nothing is lost: once the peer reads, every response arrives, whole and in order.
            for (int i = 0; i < requests; i++) {
                RawHttp.Response response = peer.readResponse();
                assertEquals(200, response.status(), "response " + i);
                assertEquals(bundleSize, response.body().length(), "response " + i);
            }
        }
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void pingFloodFromANonReaderStaysBoundedAndEveryPingIsAnswered() throws Exception {
        int pings = 1_000_000;
        long before = NodeMemory.directBytes();
        long heapBefore = NodeMemory.heapAfterGcBytes();

        try (RawHttp attacker = RawHttp.openNotReading(node.port()); NodeMemory.Peak peak = new NodeMemory.Peak()) {
            CompletableFuture<Void> sent = Floods.pings(attacker, pings);

            Thread.sleep(2_000);
            wellBehavedClientsAreServed();
            long during = peak.peak();
            long heapDuring = NodeMemory.heapAfterGcBytes();
            System.out.printf("ping flood of %d x %d bytes: direct %s -> peak %s, heap after GC %s -> %s%n",
                    pings, Floods.PING_PAYLOAD.length + 6, NodeMemory.mib(before), NodeMemory.mib(during),
                    NodeMemory.mib(heapBefore), NodeMemory.mib(heapDuring));
            assertTrue(during - before < BOUND, "direct memory grew by " + NodeMemory.mib(during - before));
            assertTrue(heapDuring - heapBefore < BOUND, "heap grew by " + NodeMemory.mib(heapDuring - heapBefore));

            // Nothing is lost: the open packet, then a pong for every ping, payload intact.
            RawHttp.Frame open = attacker.readFrame();
            assertTrue(open.text().startsWith("0{\"sid\""), open.text());
            for (int i = 0; i < pings; i++) {
                RawHttp.Frame pong = attacker.readFrame();
                if (pong.opcode() == 0x1) {
                    i--; // a server heartbeat ("2") in between
                    continue;
                }
                assertEquals(0xA, pong.opcode(), "frame " + i);
                assertArrayEquals(Floods.PING_PAYLOAD, pong.payload(), "frame " + i);
            }
            sent.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void aPeerThatTakesNothingForAHeartbeatIsDroppedAsStalled() throws Exception {
        NodeConfig config = NodeConfig.localDefaults("stall");
        try (SocketNode quick = SocketNode.start(config.withEngine(config.engine()
                .withPing(Duration.ofMillis(300), Duration.ofMillis(300))), TestApp::install);
             RawHttp peer = RawHttp.openNotReading(quick.port())) {
            peer.write(RawHttp.get(StaticContent.CLIENT_BUNDLE).repeat(100));
            // Watched from the node's side: reading here would un-stall the peer.
            await().atMost(Duration.ofSeconds(30)).until(() -> quick.metrics().scrape()
                    .contains("socketfleet_connections_dropped_total{reason=\"stalled\"} 1.0"));
            assertTrue(peer.closedWithin(Duration.ofSeconds(30)), "dropped after pingInterval + pingTimeout");
        }
    }

    @Test
    void aResponseOverTheSendBudgetDropsThePeer() throws Exception {
        int bundleSize = get(StaticContent.CLIENT_BUNDLE).body().length();
        NodeConfig config = NodeConfig.localDefaults("budget");
        try (SocketNode small = SocketNode.start(config.withEngine(config.engine().withMaxBufferedBytes(bundleSize / 2)),
                TestApp::install); RawHttp peer = RawHttp.openNotReading(small.port())) {
            peer.write(RawHttp.get(StaticContent.CLIENT_BUNDLE).repeat(100));
            assertTrue(peer.closedWithin(Duration.ofSeconds(30)), "more unsent bytes than the budget");
            assertTrue(small.metrics().scrape().contains("socketfleet_connections_dropped_total{reason=\"over-budget\"} 1.0"));
        }
    }

    /** A health check, a polling handshake and a websocket round trip all work. */
    private void wellBehavedClientsAreServed() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        assertTrue(get("/socket.io/?EIO=4&transport=polling").body().startsWith("0{\"sid\""));
        try (RawWebSocket client = RawWebSocket.open(node.port())) {
            assertTrue(client.connectMain().startsWith("40{\"sid\""));
            client.send("421[\"echo\",\"still here\"]");
            assertEquals("431[\"still here\"]", client.nextStartingWith("43", Duration.ofSeconds(30)));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
