package io.socketfleet.node.lifecycle;

import io.socketfleet.node.NodeConfig;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.testing.RawHttp;
import io.socketfleet.node.testing.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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

    /**
     * A board of the node under test and two others, "b" and "c", whose loads {@code others} works out
     * from what the node under test last published.
     */
    private static final class Board implements LoadBoard {
        private final Map<String, NodeLoad> published = new TreeMap<>();
        private final Function<NodeLoad, NodeLoad[]> others;

        Board(Function<NodeLoad, NodeLoad[]> others) {
            this.others = others;
        }

        @Override
        public synchronized void publish(String node, NodeLoad load, Duration ttl) {
            published.put(node, load);
            NodeLoad[] bc = others.apply(load);
            published.put("b", bc[0]);
            published.put("c", bc[1]);
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

    /** Two other nodes that receive, half each, every session the node under test has let go. */
    private static Board fillingUpWithWhatIsShed() {
        return new Board(load -> {
            int moved = CLIENTS - load.sessions();
            return new NodeLoad[] {new NodeLoad(moved / 2, false), new NodeLoad(moved - moved / 2, false)};
        });
    }

    private static List<RawWebSocket> connectClients(SocketNode node) throws Exception {
        List<RawWebSocket> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            RawWebSocket client = RawWebSocket.open(node.port());
            client.connectMain();
            clients.add(client);
        }
        return clients;
    }

    @Test
    void aNodeAboveItsShareShedsExactlyTheExcessAtItsRate() throws Exception {
        try (SocketNode node = SocketNode.start(NodeConfig.localDefaults("a"))) {
            List<RawWebSocket> clients = connectClients(node);
            // 120 sessions over 3 nodes: a share of 40, of which this node may hold 40 + 50 = 90.
            Rebalancer rebalancer = new Rebalancer("a", node.engine(), fillingUpWithWhatIsShed(), node.metrics(), RATE, 5);
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

    @Test
    void aNodeAboveItsShareTurnsHandshakesAwayWhileANodeWithRoomTakesThem() throws Exception {
        try (SocketNode node = SocketNode.start(NodeConfig.localDefaults("a"))) {
            List<RawWebSocket> clients = connectClients(node);
            // 160 sessions over 3 nodes: a share of 53, of which this node may hold 104 (105 counting how the others
            // just grew); it sheds one a second.
            // Two other nodes that hold 20 each and grow or not, as the test says.
            AtomicBoolean othersTaking = new AtomicBoolean();
            Board fleet = new Board(load -> {
                NodeLoad other = new NodeLoad(20, false, othersTaking.get() ? 1 : 0);
                return new NodeLoad[] {other, other};
            });
            Rebalancer rebalancer = new Rebalancer("a", node.engine(), fleet, node.metrics(), 1, 5);
            rebalancer.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> rebalancer.lastShare().over());
                assertEquals(200, handshake(node), "nobody else is seen taking new sessions: this node still does");

                othersTaking.set(true);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> handshake(node) == 503);
                int open = node.engine().openSessions();
                RawHttp.Response refused = polling(node);
                assertEquals(503, refused.status(), "503: nginx hands the client to the next node");
                assertEquals("{\"code\":3,\"message\":\"Server above its share of the fleet\"}", refused.body());
                assertEquals(open, node.engine().openSessions(), "a refused handshake opens no session");
                assertTrue(clients.stream().filter(c -> !c.closedWithin(Duration.ZERO)).count() > 100,
                        "the open sessions stay; only the pace closes them");
            } finally {
                rebalancer.close();
            }
            assertEquals(200, handshake(node), "a node that stopped rebalancing takes every handshake again");
            clients.forEach(RawWebSocket::close);
        }
    }

    private static int handshake(SocketNode node) throws Exception {
        return polling(node).status();
    }

    private static RawHttp.Response polling(SocketNode node) throws Exception {
        try (RawHttp connection = RawHttp.open(node.port())) {
            connection.write(RawHttp.get("/socket.io/?EIO=4&transport=polling"));
            return connection.readResponse();
        }
    }
}
