package io.socketfleet.node.engineio;

import io.socketfleet.node.NodeConfig;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.KeepAliveHttp;
import io.socketfleet.node.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long-polling sessions against a node on a real port: keep-alive connections, aborted polls, client close. */
class PollingSessionTest {

    private static final String HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

    private SocketNode node;
    private final CompletableFuture<String> firstDisconnect = new CompletableFuture<>();

    @BeforeEach
    void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("polling"), n -> n.io().mainNamespace().onConnection(socket -> {
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.onDisconnect(reason -> firstDisconnect.complete(reason.text()));
        }));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String sid(KeepAliveHttp.Response open) throws Exception {
        assertEquals(200, open.status(), open.body());
        return Json.MAPPER.readTree(open.body().substring(1)).get("sid").asText();
    }

    /** A polling session joined to "/" whose CONNECT reply has been read; returns its sid. */
    private String connectedSession(KeepAliveHttp http) throws Exception {
        String sid = sid(http.get(HANDSHAKE));
        assertEquals("ok", http.post(HANDSHAKE + "&sid=" + sid, "40").body());
        String reply = http.get(HANDSHAKE + "&sid=" + sid).body();
        assertTrue(reply.startsWith("40{\"sid\""), reply);
        return sid;
    }

    @Test
    void sessionsClosedOnAKeepAliveConnectionAreFreedWhileTheConnectionStaysOpen() throws Exception {
        List<WeakReference<EngineSession>> sampled = new ArrayList<>();
        long heapBefore = heapAfterGc();
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            for (int i = 0; i < 3_000; i++) {
                String sid = sid(http.get(HANDSHAKE));
                if (i % 100 == 0) {
                    sampled.add(new WeakReference<>(node.engine().find(sid).orElseThrow()));
                }
                assertEquals("ok", http.post(HANDSHAKE + "&sid=" + sid, "1").body());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> node.engine().openSessions() == 0);
            long heapAfter = heapAfterGc();
            System.out.printf("3,000 sessions opened and closed on one keep-alive connection: heap after GC %+.1f KiB%n",
                    (heapAfter - heapBefore) / 1024.0);
            // Each closed session used to stay reachable from a listener on the connection's close future.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return sampled.stream().allMatch(ref -> ref.get() == null);
            });
            // The connection itself still serves.
            assertEquals(200, http.get(HANDSHAKE).status());
        }
        wellBehavedClientStillWorks();
    }

    @Test
    void anAbortedLongPollClosesTheSessionAtOnceWithTransportError() throws Exception {
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            String sid = connectedSession(http);
            KeepAliveHttp held = new KeepAliveHttp(node.port());
            held.sendGet(HANDSHAKE + "&sid=" + sid);
            Thread.sleep(200);
            long cut = System.nanoTime();
            held.close();
            // The ping timeout is 45 s away: only noticing the cut connection closes it this soon.
            assertEquals("transport error", firstDisconnect.get(5, TimeUnit.SECONDS));
            System.out.printf("aborted long-poll noticed after %d ms%n", (System.nanoTime() - cut) / 1_000_000);
            assertTrue(node.engine().find(sid).isEmpty(), "nothing is owed to a client that left");
        }
        wellBehavedClientStillWorks();
    }

    @Test
    void aClientCloseAnswersTheHeldPollWithANoop() throws Exception {
        try (KeepAliveHttp http = new KeepAliveHttp(node.port()); KeepAliveHttp held = new KeepAliveHttp(node.port())) {
            String sid = connectedSession(http);
            held.sendGet(HANDSHAKE + "&sid=" + sid);
            Thread.sleep(200);
            assertEquals("ok", http.post(HANDSHAKE + "&sid=" + sid, "1").body());
            assertEquals(new KeepAliveHttp.Response(200, "6"), held.read());
            assertEquals("transport close", firstDisconnect.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSecondWebsocketForAnUpgradedSessionIsAcceptedAndClosed() throws Exception {
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            String sid = connectedSession(http);
            String url = "ws://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=websocket&sid=" + sid;
            try (RawWebSocket upgraded = RawWebSocket.open(url)) {
                upgraded.send("2probe");
                assertEquals("3probe", upgraded.next(Duration.ofSeconds(5)));
                upgraded.send("5");
                await().atMost(Duration.ofSeconds(5)).until(() -> "websocket".equals(node.engine().find(sid).orElseThrow().transportName()));

                // As engine.io: the handshake succeeds (101) and the server closes it at once; no 400.
                try (RawWebSocket second = RawWebSocket.open(url)) {
                    assertTrue(second.closedWithin(Duration.ofSeconds(5)));
                }
                upgraded.send("421[\"echo\",\"first still\"]");
                assertEquals("431[\"first still\"]", upgraded.nextStartingWith("43", Duration.ofSeconds(5)));
            }
        }
    }

    private void wellBehavedClientStillWorks() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("421[\"echo\",\"still here\"]");
            assertEquals("431[\"still here\"]", ws.nextStartingWith("43", Duration.ofSeconds(5)));
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
