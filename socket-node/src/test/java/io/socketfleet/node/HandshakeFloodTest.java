package io.socketfleet.node;

import io.socketfleet.node.testing.KeepAliveHttp;
import io.socketfleet.node.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of handshakes that never send CONNECT, each with a 7 KB header: sessions stay cheap
 * (the header is not kept), go at the connect timeout, /readyz says when the node is full, one
 * address can be capped, and a client already connected keeps working throughout.
 */
class HandshakeFloodTest {

    private static final String POLLING = "/socket.io/?EIO=4&transport=polling";
    private static final String BIG_HEADER = "X-Padding: " + "p".repeat(7 * 1024);

    private final List<SocketNode> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private SocketNode node(UnaryOperator<NodeConfig> config) throws InterruptedException {
        SocketNode node = SocketNode.start(config.apply(NodeConfig.localDefaults("flood")), n ->
                n.io().mainNamespace().onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.toArray()))));
        nodes.add(node);
        return node;
    }

    @AfterEach
    void stop() {
        nodes.forEach(SocketNode::close);
    }

    @Test
    void silentSessionsAreCheapShortLivedAndReadyzSaysWhenTheNodeIsFull() throws Exception {
        int flood = 2_000;
        // The silent sessions must all still be open when the flood ends, however slow a loaded
        // machine makes it (3 s was once too short); then they must go within the timeout.
        Duration connectTimeout = Duration.ofSeconds(20);
        SocketNode node = node(c -> c.withConnectTimeout(connectTimeout)
                .withEngine(c.engine().withMaxConnections(flood + 1)));
        try (RawWebSocket bystander = RawWebSocket.open(node.port())) {
            bystander.connectMain();
            long before = heapAfterGc();
            try (KeepAliveHttp flooder = new KeepAliveHttp(node.port())) {
                for (int i = 0; i < flood; i++) {
                    assertEquals(200, flooder.get(POLLING, BIG_HEADER).status());
                }
                long perSession = (heapAfterGc() - before) / flood;
                System.out.printf("%d silent polling sessions with a 7 KB header: %d bytes of heap each%n", flood, perSession);
                assertTrue(perSession < 4096, perSession + " bytes per session: the request's headers are held");

                assertEquals(503, flooder.get(POLLING).status(), "full: new handshakes are refused");
                assertEquals("at capacity\n", readyz(node).body());
                assertEquals(503, readyz(node).statusCode());
                echo(bystander, "during the flood");
            }
            await().atMost(connectTimeout.multipliedBy(3)).until(() -> node.engine().openSessions() == 1);
            assertEquals(200, readyz(node).statusCode(), "ready again once the silent sessions are gone");
            echo(bystander, "after the flood");
            System.out.printf("heap after GC once they are gone: %+d KiB against before the flood%n",
                    (heapAfterGc() - before) / 1024);
        }
    }

    @Test
    void oneAddressMayHoldOnlySoManySessionsWithoutANamespace() throws Exception {
        SocketNode node = node(c -> c.withEngine(c.engine().withHandshakeLimit(20, false)));
        try (KeepAliveHttp flooder = new KeepAliveHttp(node.port())) {
            List<String> sids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sids.add(sid(flooder.get(POLLING)));
            }
            KeepAliveHttp.Response refused = flooder.get(POLLING);
            assertEquals(429, refused.status());
            assertEquals("{\"code\":3,\"message\":\"Too many handshakes from this address\"}", refused.body());

            // A session that joins a namespace no longer counts: the address may handshake again.
            flooder.post(POLLING + "&sid=" + sids.get(0), "40");
            assertEquals(200, flooder.get(POLLING).status());
        }
    }

    @Test
    void behindATrustedProxyEachClientAddressHasItsOwnCap() throws Exception {
        SocketNode node = node(c -> c.withEngine(c.engine().withHandshakeLimit(5, true)));
        try (KeepAliveHttp proxy = new KeepAliveHttp(node.port())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, proxy.get(POLLING, "X-Forwarded-For: 203.0.113.1").status());
            }
            assertEquals(429, proxy.get(POLLING, "X-Forwarded-For: 203.0.113.1").status());
            assertEquals(429, proxy.get(POLLING, "X-Forwarded-For: 198.51.100.9, 203.0.113.1").status(),
                    "a client's own X-Forwarded-For entry does not buy it a fresh cap");
            assertEquals(200, proxy.get(POLLING, "X-Forwarded-For: 203.0.113.2").status());
            assertEquals(200, proxy.get(POLLING, "X-Real-IP: 203.0.113.3").status());
        }
    }

    private HttpResponse<String> readyz(SocketNode node) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sid(KeepAliveHttp.Response open) {
        assertEquals(200, open.status(), open.body());
        int start = open.body().indexOf("\"sid\":\"") + 7;
        return open.body().substring(start, open.body().indexOf('"', start));
    }

    private static void echo(RawWebSocket ws, String text) throws InterruptedException {
        ws.send("3"); // answer any ping that came meanwhile
        ws.send("421[\"echo\",\"" + text + "\"]");
        assertEquals("431[\"" + text + "\"]", ws.nextStartingWith("431", Duration.ofSeconds(5)));
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
