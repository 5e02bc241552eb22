package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RecoveryApp;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection state recovery across servers on one real Redis with the streams adapter: from one
 * socket-node to another, and both ways between socket-node and a Node socket.io 4.8 server
 * running {@code @socket.io/redis-streams-adapter} 0.3.1 — the official client, its default options.
 */
class StreamsRecoveryIT {

    private static RedisServer redis;
    private static SocketNode a;
    private static SocketNode b;
    private static Process nodePeer;
    private static String peerUrl;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        a = startNode("node-a");
        b = startNode("node-b");
        int peerPort = RedisServer.freePort();
        nodePeer = NodeScripts.node(NodeScripts.script("node-streams-peer.js").toString(), Integer.toString(peerPort),
                redis.urlWithPassword()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(nodePeer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", out.readLine(), "the Node socket.io peer did not start");
        peerUrl = "http://127.0.0.1:" + peerPort;
        await().atMost(Duration.ofSeconds(15)).until(() -> a.streams().orElseThrow().isUp() && b.streams().orElseThrow().isUp());
    }

    private static SocketNode startNode(String name) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD)
                .withAdapter(AdapterSettings.streams(Duration.ofMinutes(2))), RecoveryApp::install);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nodePeer != null) {
            nodePeer.destroy();
        }
        a.close();
        b.close();
        redis.close();
    }

    private static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    private static JsonNode move(String from, String to, String publisher) {
        return NodeScripts.scenario("recovery.js", "move", Map.of("from", from, "to", to, "publisher", publisher, "away", 5));
    }

    private static void assertRecovered(JsonNode r, String node) {
        assertTrue(r.get("recovered").asBoolean(), r.toString());
        assertEquals(r.get("firstId").asText(), r.get("id").asText());
        assertEquals("[0,1,2,3,4,5,6,7,8,9]", r.get("got").toString(), "every message once, in order: " + r);
        assertEquals(node, r.at("/who/node").asText());
        assertEquals(r.at("/whoBefore/rooms"), r.at("/who/rooms"));
        assertEquals("erin", r.at("/who/data/name").asText());
        assertTrue(r.at("/who/recovered").asBoolean());
    }

    @Test
    void aSocketNodeClientRecoversOnAnotherSocketNode() {
        assertRecovered(move(url(a), url(b), url(a)), "node-b");
    }

    @Test
    void aSocketNodeClientRecoversOnNodeSocketIo() {
        assertRecovered(move(url(a), peerUrl, url(b)), "node-peer");
    }

    @Test
    void aNodeSocketIoClientRecoversOnSocketNode() {
        assertRecovered(move(peerUrl, url(b), url(a)), "node-b");
    }
}
