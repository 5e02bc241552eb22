package io.socketfleet.node.lifecycle;

import io.socketfleet.node.NodeConfig;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node above its fair share sheds exactly its excess, never faster than its rate, by ending
 * transports (no Socket.IO DISCONNECT). One real node over real sockets; the rest of the fleet is
 * a board on which two empty nodes fill up with whatever this node sheds, as if the shed clients
 * reconnected there.
 */
class RebalancerTest {

    private static final int CLIENTS = 120;
    private static final int RATE = 10;

    /** Two other nodes that receive, half each, every session the node under test has let go. */
    private static final class Fleet implements LoadBoard {
        private final Map<String, NodeLoad> published = new TreeMap<>();

        @Override
        public synchronized void publish(String node, NodeLoad load, Duration ttl) {
            published.put(node, load);
            int moved = CLIENTS - load.sessions();
            published.put("b", new NodeLoad(moved / 2, false));
            published.put("c", new NodeLoad(moved - moved / 2, false));
        }

        @Override
        public synchronized Map<String, NodeLoad> readAll() {
            return new TreeMap<>(published);
        }

        @Override
        public void withdraw(String node) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aNodeAboveItsShareShedsExactlyTheExcessAtItsRate() throws Exception {
        try (SocketNode node = SocketNode.start(NodeConfig.localDefaults("a"))) {
            List<RawWebSocket> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                RawWebSocket client = RawWebSocket.open(node.port());
                client.connectMain();
                clients.add(client);
            }
            // 120 sessions over 3 nodes: a share of 40, of which this node may hold 40 + 50 = 90.
            Rebalancer rebalancer = new Rebalancer("a", node.engine(), new Fleet(), node.metrics(), RATE, 5);
            long started = System.nanoTime();
            rebalancer.start();
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    long shed = clients.stream().filter(c -> c.closedWithin(Duration.ZERO)).count();
                    double seconds = (System.nanoTime() - started) / 1e9;
                    assertTrue(shed <= RATE * (Math.floor(seconds) + 1) + 1, shed + " shed after " + seconds + " s");
                    return shed == CLIENTS - 90;
                });
                // Balanced now: nothing more goes, however long it runs.
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertEquals(CLIENTS - 90, clients.stream().filter(c -> c.closedWithin(Duration.ZERO)).count());
                assertEquals(90, node.engine().openSessions());
                assertEquals(90, rebalancer.lastShare().allowed());
                assertTrue(node.metrics().scrape().contains("socketfleet_sessions_rebalanced_total 30.0"), "counted");
                for (RawWebSocket client : clients) {
                    if (client.closedWithin(Duration.ZERO)) {
                        for (String frame = client.next(Duration.ZERO); frame != null; frame = client.next(Duration.ZERO)) {
                            assertFalse(frame.startsWith("41"), "a shed client gets no DISCONNECT, so it reconnects");
                        }
                    }
                }
            } finally {
                rebalancer.close();
                clients.forEach(RawWebSocket::close);
            }
        }
    }
}
