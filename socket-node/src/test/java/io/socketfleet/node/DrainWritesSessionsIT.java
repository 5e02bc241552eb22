package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.RedisStreams;
import io.socketfleet.node.socketio.Namespace;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A draining node writes every live session for recovery as it is at that moment, before it closes
 * any transport (issue 12, lame-duck drain): a change the periodic refresh would only write 10 s
 * later (here {@code socket.data}, which no room change writes either) is in Redis when the
 * transport closes, and the client, back on another node, finds it.
 */
class DrainWritesSessionsIT {

    private RedisServer redis;
    private final List<SocketNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        nodes.forEach(SocketNode::close);
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * A node whose recovery window (2 minutes) makes it refresh live sessions every 10 s, and whose
     * drain closes every transport at once: nothing but the drain itself can write the session in between.
     */
    private SocketNode node(String name, List<String> heldAtClose) throws InterruptedException {
        SocketNode node = SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD)
                .withAdapter(AdapterSettings.streams(Duration.ofMinutes(2))).withDrainPeriod(Duration.ZERO), n -> {
            Namespace main = n.io().mainNamespace();
            main.onConnection(socket -> {
                if (!socket.recovered()) {
                    socket.join(socket.handshake().auth().path("room").asText());
                }
                // Stored with an offset: the client hands back the last one it got when it reconnects.
                socket.emit("welcome", name);
                socket.on("remember", (args, ack) -> {
                    socket.data().put("mood", args.get(0).asText());
                    ack.send(true);
                });
                socket.on("whoami", (args, ack) -> ack.send(Map.of("id", socket.id(), "rooms", new TreeSet<>(socket.rooms()),
                        "data", Map.copyOf(socket.data()), "node", name)));
                // What Redis holds for this client at the moment its transport is closed.
                socket.onDisconnecting(reason -> heldAtClose.addAll(storedSessions()));
            });
        });
        nodes.add(node);
        return node;
    }

    private List<String> storedSessions() {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build())) {
            List<String> sessions = new ArrayList<>();
            for (String key : jedis.keys(RedisStreams.SESSION_PREFIX + "*")) {
                String value = jedis.get(key);
                if (value != null) {
                    // base64 of msgpack {sid, pid, rooms, data}: msgpack keeps strings as they are.
                    sessions.add(new String(Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1));
                }
            }
            return sessions;
        }
    }

    @Test
    void aDrainWritesEveryLiveSessionBeforeItClosesTransports() throws Exception {
        redis = new RedisServer();
        List<String> heldAtClose = new java.util.concurrent.CopyOnWriteArrayList<>();
        SocketNode draining = node("node-a", heldAtClose);
        SocketNode other = node("node-b", new java.util.concurrent.CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(15)).until(() -> draining.streams().orElseThrow().isUp() && other.streams().orElseThrow().isUp());

        Process client = NodeScripts.node(NodeScripts.script("recovery.js").toString(), "drained",
                Json.MAPPER.writeValueAsString(Map.of("from", "http://127.0.0.1:" + draining.port(),
                        "to", "http://127.0.0.1:" + other.port()))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("{\"ready\":true}", out.readLine(), "the client did not get going");
        // 'remember' changed socket.data after the node last wrote the session (on joining the room); the
        // refresh would write it within 10 s — the drain must not wait for it.
        draining.drain();
        String line = out.readLine();
        assertNotNull(line, "the client did not report");
        JsonNode result = Json.MAPPER.readTree(line);

        assertEquals(1, heldAtClose.size(), "one session in Redis when the transport closed: " + heldAtClose);
        assertTrue(heldAtClose.get(0).contains("mood") && heldAtClose.get(0).contains("blue"),
                "the session as it was when the drain began, socket.data included: " + heldAtClose);
        assertEquals("transport close", result.get("reason").asText(), result.toString());
        assertTrue(result.get("recovered").asBoolean(), result.toString());
        assertEquals(result.get("firstId").asText(), result.get("id").asText());
        assertEquals("node-b", result.at("/who/node").asText(), result.toString());
        assertEquals("blue", result.at("/who/data/mood").asText(), result.toString());
        assertTrue(result.at("/who/rooms").toString().contains("drained"), result.toString());
    }
}
