package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet-wide operations in a fleet of three servers on one real Redis — two socket-nodes
 * and a Node socket.io 4.8 server with @socket.io/redis-adapter 8.3 — asked of each kind of
 * server in turn, by the official client: fetchSockets (with to/except, handshake, rooms,
 * data), socketsJoin/Leave, broadcasts with acks counting every node's clients,
 * serverSideEmit with and without acks, emit/join/emitWithAck on a remote socket, and
 * disconnectSockets(true). Each run has two clients on the asking server and two on another.
 */
class ClusterOpsInteropIT {

    private static RedisServer redis;
    private static SocketNode javaOne;
    private static SocketNode javaTwo;
    private static Process nodePeer;
    private static String peerUrl;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        javaOne = SocketNode.start(NodeConfig.localDefaults("java-1").withRedis(redis.url(), RedisServer.PASSWORD),
                TestApp::install);
        javaTwo = SocketNode.start(NodeConfig.localDefaults("java-2").withRedis(redis.url(), RedisServer.PASSWORD),
                TestApp::install);
        int peerPort = RedisServer.freePort();
        nodePeer = NodeScripts.node(NodeScripts.script("node-peer.js").toString(), Integer.toString(peerPort),
                redis.urlWithPassword()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(nodePeer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", out.readLine(), "the Node socket.io peer did not start");
        peerUrl = "http://127.0.0.1:" + peerPort;
        await().atMost(Duration.ofSeconds(15)).until(() ->
                javaOne.broker().orElseThrow().isUp() && javaTwo.broker().orElseThrow().isUp());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        nodePeer.destroy();
        javaOne.close();
        javaTwo.close();
        redis.close();
    }

    private static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    @Test
    void aSocketNodeOperatesOnTheNodePeersSockets() {
        check(run(url(javaOne), peerUrl));
    }

    @Test
    void theNodePeerOperatesOnASocketNodesSockets() {
        JsonNode r = run(peerUrl, url(javaOne), true);
        check(r);
        assertTrue(r.get("allRoomsHasOtherServersRooms").asBoolean(), "Node's allRooms() has the socket-node's rooms too");
    }

    @Test
    void aSocketNodeOperatesOnAnotherSocketNodesSockets() {
        check(run(url(javaTwo), url(javaOne)));
    }

    /** Clients a1, a2 (in "vip") on the asking server, b1, b2 (in "vip") on the other; a1 asks. */
    static JsonNode run(String asking, String other) {
        return run(asking, other, false);
    }

    /** {@code legacy}: the asking server is Node's classic adapter, whose allRooms() asks every server. */
    static JsonNode run(String asking, String other, boolean legacy) {
        return NodeScripts.scenario("clusterOps", Map.of("controller", 0, "timeoutMs", 80_000, "legacy", legacy, "clients", List.of(
                Map.of("url", asking, "user", "a1"), Map.of("url", asking, "user", "a2", "vip", true),
                Map.of("url", other, "user", "b1"), Map.of("url", other, "user", "b2", "vip", true))));
    }

    /** What every server must have seen and done in {@link #run}, whichever adapter carried it. */
    static void check(JsonNode r) {
        assertEquals("[\"a1\",\"a2\",\"b1\",\"b2\"]", users(r.get("all")), r.toString());
        for (JsonNode socket : r.get("all")) {
            String user = socket.get("user").asText();
            assertTrue(socket.get("ownRoom").asBoolean() && socket.get("idKnown").asBoolean(), user + ": id and own room");
            assertEquals(user, socket.get("authUser").asText(), user + ": the handshake's auth travels");
            assertEquals("4", socket.get("eio").asText(), user + ": the handshake's query travels");
            assertTrue(socket.get("address").asText().contains("127.0.0.1"), user + ": " + socket.get("address"));
        }
        assertEquals("[\"a2\",\"b2\"]", users(r.get("vip")));
        assertEquals("[\"vip\"]", r.at("/vip/1/rooms").toString(), "rooms travel");
        assertEquals("[\"a1\",\"b1\"]", users(r.get("notVip")), "except");
        assertEquals("[\"a2\",\"b2\"]", users(r.get("gold")), "socketsJoin on every server");
        assertEquals("[\"gold\",\"vip\"]", r.at("/gold/1/rooms").toString());
        assertEquals("[\"b2\"]", users(r.get("vipAfterLeave")), "socketsLeave, b2 excepted by its id");

        assertEquals("{\"complete\":true,\"answers\":[\"\\\"answer-a1\\\"\",\"\\\"answer-a2\\\"\",\"\\\"answer-b1\\\"\","
                + "\"\\\"answer-b2\\\"\"]}", r.get("askAll").toString(), "a broadcast with acks counts every server's clients");
        assertEquals("{\"complete\":true,\"answers\":[\"\\\"answer-a2\\\"\"]}", r.get("askGoldExceptVip").toString());

        JsonNode ping = r.get("ping");
        assertTrue(ping.get("complete").asBoolean(), ping.toString());
        assertEquals(2, ping.get("answers").size(), "one answer from each other server: " + ping);
        ping.get("answers").forEach(answer -> assertTrue(answer.asText().contains("\"got\":\"hi\""), answer.asText()));
        assertEquals(1, r.get("noteElsewhere").asInt(), "serverSideEmit without acks, once");
        assertEquals(0, r.get("noteHere").asInt(), "not to the sender");

        assertEquals("[\"psst\"]", r.get("direct").toString(), "RemoteSocket.emit");
        assertEquals("[\"b1\"]", r.get("touched").toString(), "RemoteSocket.join");
        assertEquals("\"answer-b1\"", r.get("remoteAsk").toString(), "RemoteSocket emitWithAck");

        assertEquals("[{\"user\":\"a1\",\"reason\":null,\"connected\":true},"
                + "{\"user\":\"a2\",\"reason\":\"io server disconnect\",\"connected\":false},"
                + "{\"user\":\"b1\",\"reason\":null,\"connected\":true},"
                + "{\"user\":\"b2\",\"reason\":\"io server disconnect\",\"connected\":false}]",
                r.get("disconnects").toString(), "disconnectSockets(true) on every server");
        assertEquals("[\"a1\",\"b1\"]", r.get("afterDisconnect").toString());
    }

    private static String users(JsonNode sockets) {
        StringBuilder users = new StringBuilder("[");
        sockets.forEach(s -> users.append(users.length() > 1 ? "," : "").append('"').append(s.get("user").asText()).append('"'));
        return users.append(']').toString();
    }
}
