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

/**
 * A Node socket.io 4.8 server with @socket.io/redis-adapter and a socket-node on one Redis:
 * each one's clients receive the other's broadcasts, so the wire format is the real one.
 */
class NodeSocketIoInteropIT {

    private static RedisServer redis;
    private static SocketNode javaNode;
    private static Process nodePeer;
    private static String peerUrl;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        javaNode = SocketNode.start(NodeConfig.localDefaults("java-node").withRedis(redis.url(), RedisServer.PASSWORD),
                TestApp::install);
        int peerPort = RedisServer.freePort();
        nodePeer = NodeScripts.node(NodeScripts.script("node-peer.js").toString(), Integer.toString(peerPort),
                redis.urlWithPassword()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(nodePeer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", out.readLine(), "the Node socket.io peer did not start");
        peerUrl = "http://127.0.0.1:" + peerPort;
        await().atMost(Duration.ofSeconds(15)).until(() -> javaNode.broker().orElseThrow().isUp());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        nodePeer.destroy();
        javaNode.close();
        redis.close();
    }

    private static String javaUrl() {
        return "http://127.0.0.1:" + javaNode.port();
    }

    @Test
    void nodeClientsReceiveSocketNodeBroadcastsWithBinary() {
        JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", List.of(javaUrl(), peerUrl), "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", Map.of("from", "java"))).get("received");

        for (JsonNode client : received) {
            assertEquals("[[{\"from\":\"java\"},{\"binary\":[4,5,6]}]]", client.get("events").toString(),
                    client.get("url").asText());
        }
    }

    @Test
    void socketNodeClientsReceiveNodeBroadcastsWithBinary() {
        JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", List.of(peerUrl, javaUrl()), "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", Map.of("from", "node"))).get("received");

        for (JsonNode client : received) {
            assertEquals("[[{\"from\":\"node\"},{\"binary\":[9,8,7]}]]", client.get("events").toString(),
                    client.get("url").asText());
        }
    }

    @Test
    void roomsAndExceptSenderAcrossImplementations() {
        // client 0 on socket-node, client 1 on the Node peer, client 2 on socket-node
        JsonNode got = NodeScripts.scenario("rooms", Map.of("urls", List.of(javaUrl(), peerUrl), "mode", "websocket"))
                .get("got");

        assertEquals("[\"for r1\"]", got.at("/0/room").toString());
        assertEquals("[\"for r1\"]", got.at("/1/room").toString());
        assertEquals("[]", got.at("/2/room").toString());
        assertEquals("[]", got.at("/0/broadcast").toString());
        assertEquals("[\"from 0\"]", got.at("/1/broadcast").toString());
        assertEquals("[\"from 0\"]", got.at("/2/broadcast").toString());
        for (int i = 0; i < 3; i++) {
            assertEquals("[\"to all\"]", got.at("/" + i + "/all").toString(), "client " + i);
        }
    }
}
