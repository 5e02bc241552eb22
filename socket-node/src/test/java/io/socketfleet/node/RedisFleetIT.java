package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two socket-nodes sharing one real, password-protected Redis. */
class RedisFleetIT {

    private static RedisServer redis;
    private static SocketNode a;
    private static SocketNode b;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        a = startNode("node-a");
        b = startNode("node-b");
        awaitRedisUp();
    }

    static SocketNode startNode(String name) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD), TestApp::install);
    }

    private static void awaitRedisUp() {
        await().atMost(Duration.ofSeconds(15)).until(() -> a.broker().orElseThrow().isUp() && b.broker().orElseThrow().isUp());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        a.close();
        b.close();
        redis.close();
    }

    static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    @Test
    void roomAndExceptSenderBroadcastsCrossNodes() {
        // clients 0 and 2 on node a, client 1 on node b
        JsonNode got = NodeScripts.scenario("rooms", Map.of("urls", List.of(url(a), url(b)), "mode", "websocket")).get("got");

        assertEquals("[\"for r1\"]", got.at("/0/room").toString());
        assertEquals("[\"for r1\"]", got.at("/1/room").toString(), "room member on the other node");
        assertEquals("[]", got.at("/2/room").toString());
        assertEquals("[]", got.at("/0/broadcast").toString());
        assertEquals("[\"from 0\"]", got.at("/1/broadcast").toString());
        assertEquals("[\"from 0\"]", got.at("/2/broadcast").toString());
        for (int i = 0; i < 3; i++) {
            assertEquals("[\"to all\"]", got.at("/" + i + "/all").toString(), "client " + i);
        }
    }

    @Test
    void broadcastWithBinaryReachesEveryClientOnBothNodesExactlyOnce() {
        JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", List.of(url(a), url(b)), "perUrl", 3,
                "event", "all", "trigger", "emit-all", "payload", "hello fleet")).get("received");

        assertEquals(6, received.size());
        for (JsonNode client : received) {
            assertEquals("[[\"hello fleet\",{\"binary\":[4,5,6]}]]", client.get("events").toString(), client.get("url").asText());
        }
    }

    @Test
    void survivesARedisRestartAndResumesCrossNodeDelivery() throws Exception {
        // Publish before the outage, so the nodes hold pooled connections that die with this Redis.
        JsonNode before = NodeScripts.scenario("fleet", Map.of("urls", List.of(url(a), url(b)), "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", "before restart")).get("received");
        for (JsonNode client : before) {
            assertEquals(1, client.get("events").size(), client.get("url").asText());
        }
        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.broker().orElseThrow().isUp());

        // Redis down: each node still serves its own clients.
        JsonNode during = NodeScripts.scenario("fleet", Map.of("urls", List.of(url(a), url(b)), "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", "while down")).get("received");
        assertEquals(1, during.get(0).get("events").size(), "local client of the emitting node");
        assertEquals(1, during.get(1).get("events").size(), "local client of the emitting node");
        assertEquals(0, during.get(2).get("events").size(), "the other node is unreachable without Redis");

        redis.start();
        awaitRedisUp();
        // Twice: the first publish after the restart meets a dead pooled connection, and the node must
        // neither lose that broadcast nor stop publishing.
        for (String payload : List.of("after restart", "and again")) {
            JsonNode after = NodeScripts.scenario("fleet", Map.of("urls", List.of(url(a), url(b)), "perUrl", 2,
                    "event", "all", "trigger", "emit-all", "payload", payload)).get("received");
            for (JsonNode client : after) {
                assertEquals(1, client.get("events").size(), payload + ": " + client.get("url").asText());
            }
        }
    }
}
