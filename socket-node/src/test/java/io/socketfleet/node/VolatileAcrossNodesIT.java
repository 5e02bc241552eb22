package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.socketio.SocketIoServer;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The volatile flag across nodes on a real Redis, with each transport (classic pub/sub, sharded
 * pub/sub, streams): one socket-node broadcasts to a room whose only client is on another
 * socket-node, a plain event, a volatile one, a plain one, then a volatile broadcast with acks.
 * As in Node (socket.io's {@code Client.writeToEngine}), the receiving node drops the volatile
 * packets for a client whose transport cannot take them now — a long-polling client that holds
 * no poll — and delivers them to a writable websocket; the broadcast with acks then counts a client
 * whose ack never comes. The client is the official socket.io-client (scenarios.js volatileAcross).
 * The same burst from a Node socket.io 4.8 peer with the classic redis-adapter reaches a socket-node's
 * client the same way.
 */
class VolatileAcrossNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer();
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "sharded", "streams"})
    void volatilePacketsAreDroppedForAPollingClientHoldingNoPollAndDeliveredToAWritableWebsocket(String transport)
            throws Exception {
        try (SocketNode sender = start("sender-" + transport, transport);
             SocketNode receiver = start("receiver-" + transport, transport)) {
            await().atMost(WAIT).until(() -> up(sender) && up(receiver));

            Outcome polling = broadcastTo(sender.io(), receiver, "polling");
            assertEquals("[1,3]", polling.got().toString(),
                    "no poll held: the volatile packet is dropped, the plain ones wait for the next poll");
            assertEquals(0, polling.asked(), "the volatile broadcast with acks is dropped too");
            assertFalse(polling.replies().complete(), "the dropped client was counted, its ack never came");
            assertTrue(polling.replies().values().isEmpty(), polling.replies().values().toString());

            Outcome websocket = broadcastTo(sender.io(), receiver, "websocket");
            assertEquals("[1,2,3]", websocket.got().toString(), "a writable websocket takes volatile packets");
            assertEquals(1, websocket.asked());
            assertTrue(websocket.replies().complete());
            assertEquals("[\"acked\"]", websocket.replies().values().toString());
        }
    }

    /** {@code got}: the values of the plain and volatile events in order; {@code asked}: how often the ack request came. */
    private record Outcome(JsonNode got, int asked, Replies<JsonNode> replies) {
    }

    /** Node's classic redis-adapter 8.3 sends the flags in its request; a socket-node receiving it applies them. */
    @Test
    void aNodePeersVolatileBroadcastsAreDroppedForAPollingClientOfASocketNode() throws Exception {
        int peerPort = RedisServer.freePort();
        Process peer = NodeScripts.node(NodeScripts.script("node-peer.js").toString(), Integer.toString(peerPort),
                redis.urlWithPassword()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (SocketNode receiver = start("receiver-of-node", "classic")) {
            BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", out.readLine(), "the Node socket.io peer did not start");
            await().atMost(WAIT).until(() -> up(receiver));
            String trigger = "http://127.0.0.1:" + peerPort;

            JsonNode polling = fromNodePeer(receiver, "polling", trigger);
            assertEquals("[1,3]", polling.get("got").toString(), polling.toString());
            assertEquals(0, polling.get("asked").asInt(), "the volatile broadcast with acks is dropped too");
            assertEquals("{\"complete\":false,\"answers\":[]}", polling.get("replies").toString());

            JsonNode websocket = fromNodePeer(receiver, "websocket", trigger);
            assertEquals("[1,2,3]", websocket.get("got").toString(), websocket.toString());
            assertEquals(1, websocket.get("asked").asInt());
            assertEquals("{\"complete\":true,\"answers\":[\"acked\"]}", websocket.get("replies").toString());
        } finally {
            peer.destroy();
        }
    }

    private static JsonNode fromNodePeer(SocketNode receiver, String mode, String trigger) throws Exception {
        NodeScripts.Running client = NodeScripts.startScenario("volatileAcross", Map.of(
                "url", "http://127.0.0.1:" + receiver.port(), "mode", mode, "holdMs", 3000, "room", "peer-flags-" + mode,
                "trigger", trigger, "timeoutMs", 60_000));
        client.awaitReady();
        return client.result();
    }

    private static Outcome broadcastTo(SocketIoServer io, SocketNode receiver, String mode) throws Exception {
        // A room per run: the client of an earlier run may linger until its ping timeout.
        String room = "flags-" + mode;
        NodeScripts.Running client = NodeScripts.startScenario("volatileAcross", Map.of(
                "url", "http://127.0.0.1:" + receiver.port(), "mode", mode, "holdMs", 5000, "room", room, "timeoutMs", 60_000,
                "announceHold", true));
        client.awaitReady();
        io.to(room).emit("n", 1);
        if (mode.equals("polling")) {
            // The rest only once the client holds no poll: with streams the broadcast with acks goes by pub/sub
            // and could otherwise overtake the stream's packets and find the client still polling.
            client.awaitReady();
        }
        io.to(room).asVolatile().emit("n", 2);
        io.to(room).emit("n", 3);
        Replies<JsonNode> replies = io.to(room).asVolatile().timeout(Duration.ofSeconds(5)).emitWithAck("ask")
                .get(30, TimeUnit.SECONDS);
        io.to(room).emit("end");
        JsonNode result = client.result();
        return new Outcome(result.get("got"), result.get("asked").asInt(), replies);
    }

    private static SocketNode start(String name, String transport) throws InterruptedException {
        NodeConfig config = NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD);
        config = switch (transport) {
            // static: a room broadcast goes on the main channel, so no room subscription to wait for
            case "sharded" -> config.withShardedPubSub(SubscriptionMode.STATIC);
            case "streams" -> config.withAdapter(AdapterSettings.streams(Duration.ofMinutes(2)));
            default -> config;
        };
        return SocketNode.start(config, TestApp::install);
    }

    private static boolean up(SocketNode node) {
        return node.broker().map(broker -> broker.isUp()).orElse(true)
                && node.shardedBroker().map(broker -> broker.isUp()).orElse(true)
                && node.streams().map(streams -> streams.isUp()).orElse(true);
    }
}
