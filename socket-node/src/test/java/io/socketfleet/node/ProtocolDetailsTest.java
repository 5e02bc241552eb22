package io.socketfleet.node;

import io.socketfleet.node.socketio.ConnectionRefusedException;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.KeepAliveHttp;
import io.socketfleet.node.testing.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where socket-node must do what socket.io 4.8 / engine.io 6.6 do, checked over real sockets:
 * middleware refusals, heartbeats, buffer accounting, disconnect reasons, the handshake address.
 */
class ProtocolDetailsTest {

    private static final String POLLING = "/socket.io/?EIO=4&transport=polling";

    private final List<SocketNode> nodes = new ArrayList<>();
    private final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> addresses = new LinkedBlockingQueue<>();

    private SocketNode node(UnaryOperator<NodeConfig> config) throws InterruptedException {
        SocketNode node = SocketNode.start(config.apply(NodeConfig.localDefaults("details")), n -> {
            n.io().mainNamespace().onConnection(this::install);
            n.io().of("/guarded").use(socket -> {
                socket.join("lobby");
                throw new ConnectionRefusedException("no entry", null);
            });
        });
        nodes.add(node);
        return node;
    }

    private void install(Socket socket) {
        addresses.add(socket.handshake().address());
        socket.on("echo", (args, ack) -> ack.send(args.toArray()));
        socket.on("shout", (args, ack) -> socket.emit("shouted", args.get(0).asText()));
        socket.onDisconnect(reason -> disconnects.add(reason.text()));
    }

    @AfterEach
    void stop() {
        nodes.forEach(SocketNode::close);
    }

    @Test
    void aRefusedClientStillFacesTheConnectTimeoutAndLeavesNoRooms() throws Exception {
        SocketNode node = node(c -> c.withConnectTimeout(Duration.ofMillis(500)));
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.next(Duration.ofSeconds(5)); // open packet
            ws.send("40/guarded,");
            assertEquals("44/guarded,{\"message\":\"no entry\"}", ws.nextNonPing(Duration.ofSeconds(5)));
            assertFalse(node.io().of("/guarded").adapter().hasRoom("lobby"), "the room joined by the refused socket is gone");
            // Refused and silent since: the connect timeout still applies (it used to be cancelled by the CONNECT).
            assertTrue(ws.closedWithin(Duration.ofSeconds(5)));
        }
        wellBehavedClientStillWorks(node);
    }

    @Test
    void anyPacketWhileAPongIsAwaitedRefreshesTheTimeoutOnce() throws Exception {
        SocketNode node = node(c -> c.withEngine(c.engine().withPing(Duration.ofMillis(500), Duration.ofMillis(2000))));
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            assertEquals("2", ws.nextStartingWith("2", Duration.ofSeconds(5)));
            Thread.sleep(1200);
            ws.send("42[\"unheard\"]"); // not a pong: the deadline restarts from here (engine.io 6.6)
            Thread.sleep(1400); // 2.6 s after the ping: past the first deadline, within the refreshed one
            ws.send("3");
            ws.send("421[\"echo\",\"alive\"]");
            assertEquals("431[\"alive\"]", ws.nextStartingWith("43", Duration.ofSeconds(5)));
            assertTrue(disconnects.isEmpty(), disconnects.toString());

            // Only once per ping: a second packet does not buy more time.
            assertEquals("2", ws.nextStartingWith("2", Duration.ofSeconds(5)));
            Thread.sleep(300);
            ws.send("42[\"unheard\"]");
            Thread.sleep(300);
            ws.send("42[\"unheard\"]");
            assertEquals("ping timeout", disconnects.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theSendBufferCountsBytesNotCharacters() throws Exception {
        SocketNode node = node(c -> c.withEngine(c.engine().withMaxBufferedBytes(20_000)));
        String twoByteText = "é".repeat(6_000); // 12,000 bytes as UTF-8, 6,000 UTF-16 units
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            String sid = Json.MAPPER.readTree(http.get(POLLING).body().substring(1)).get("sid").asText();
            http.post(POLLING + "&sid=" + sid, "40");
            http.get(POLLING + "&sid=" + sid);
            // Nobody polls: both shouts wait in the session's buffer, 24,000 bytes against a 20,000 budget.
            http.post(POLLING + "&sid=" + sid, "42[\"shout\",\"" + twoByteText + "\"]");
            http.post(POLLING + "&sid=" + sid, "42[\"shout\",\"" + twoByteText + "\"]");
            assertEquals("forced close", disconnects.poll(5, TimeUnit.SECONDS), "dropped as a slow client");
        }
        wellBehavedClientStillWorks(node);
    }

    /** What socket.io 4.8 itself reports for each (checked against a Node server with the same frames). */
    @Test
    void disconnectReasonsAreSocketIosOwn() throws Exception {
        SocketNode node = node(c -> c);
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("42not json");
            assertEquals("forced close", disconnects.poll(5, TimeUnit.SECONDS), "a bad Socket.IO packet");
        }
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("42/elsewhere,[\"x\"]");
            assertEquals("forced close", disconnects.poll(5, TimeUnit.SECONDS), "a namespace not joined");
        }
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("9");
            assertEquals("parse error", disconnects.poll(5, TimeUnit.SECONDS), "an Engine.IO packet that does not decode");
        }
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("2");
            assertEquals("transport error", disconnects.poll(5, TimeUnit.SECONDS), "a ping from the client");
        }
    }

    @Test
    void zeroAttachmentsAndLargeAckIdsAreJudgedAsTheReferenceParserDoes() throws Exception {
        SocketNode node = node(c -> c);
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("429007199254740992[\"echo\",\"big id\"]");
            assertEquals("439007199254740992[\"big id\"]", ws.nextStartingWith("43", Duration.ofSeconds(5)));
            ws.send("450-[\"echo\",\"no attachments\"]");
            assertEquals("forced close", disconnects.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theHandshakeAddressIsTheBareIp() throws Exception {
        SocketNode node = node(c -> c);
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            assertEquals("127.0.0.1", addresses.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void behindATrustedProxyTheAddressIsTheOneItReports() throws Exception {
        SocketNode node = node(c -> c.withEngine(c.engine().withHandshakeLimit(0, true)));
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            String open = http.get(POLLING, "X-Forwarded-For: 10.9.9.9, 203.0.113.7").body();
            String sid = Json.MAPPER.readTree(open.substring(1)).get("sid").asText();
            http.post(POLLING + "&sid=" + sid, "40");
            assertEquals("203.0.113.7", addresses.poll(5, TimeUnit.SECONDS), "the entry the proxy appended, not the client's claim");
        }
    }

    private static void wellBehavedClientStillWorks(SocketNode node) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            ws.connectMain();
            ws.send("421[\"echo\",\"fine\"]");
            assertEquals("431[\"fine\"]", ws.nextStartingWith("43", Duration.ofSeconds(5)));
        }
    }
}
