package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet-wide operations with the streams adapter, in a fleet of two socket-nodes and a Node
 * socket.io 4.8 server with {@code @socket.io/redis-streams-adapter} 0.3.1 on one real Redis: the
 * scenario of {@link ClusterOpsInteropIT} (fetchSockets, socketsJoin/Leave, disconnectSockets,
 * serverSideEmit with and without acks, broadcasts with acks, remote sockets; with to/except)
 * asked of each kind of server in turn by the official client. And how servers are counted: a
 * node that stops drops out at once, one that hangs costs the deadline (the answers that came are
 * returned), one that is killed drops out as soon as Redis sees its connection close.
 */
class StreamsClusterOpsIT {

    /** Every server of the namespace "/" subscribes to it; its subscribers are the servers counted. */
    private static final String REQUEST_CHANNEL = "socket.io#/#";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer redis;
    private static SocketNode javaOne;
    private static SocketNode javaTwo;
    private static Process nodePeer;
    private static String peerUrl;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        javaOne = startJava("java-1");
        javaTwo = startJava("java-2");
        int peerPort = RedisServer.freePort();
        nodePeer = startPeer(peerPort);
        peerUrl = "http://127.0.0.1:" + peerPort;
        await().atMost(WAIT).until(() -> javaOne.streams().orElseThrow().isUp() && javaTwo.streams().orElseThrow().isUp()
                && javaOne.broker().orElseThrow().isUp() && javaTwo.broker().orElseThrow().isUp());
        await().atMost(WAIT).until(() -> servers() == 3);
    }

    private static SocketNode startJava(String name) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD)
                .withAdapter(AdapterSettings.streams(Duration.ofMinutes(2))), TestApp::install);
    }

    private static Process startPeer(int port) throws IOException {
        Process peer = NodeScripts.node(NodeScripts.script("node-peer.js").toString(), Integer.toString(port),
                redis.urlWithPassword(), "streams").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("listening", out.readLine(), "the Node socket.io peer did not start");
        return peer;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nodePeer != null) {
            nodePeer.destroy();
        }
        javaOne.close();
        javaTwo.close();
        redis.close();
    }

    private static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    /** PUBSUB NUMSUB on the namespace's request channel, as the Node adapter counts servers. */
    private static long servers() {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build())) {
            return jedis.pubsubNumSub(REQUEST_CHANNEL).getOrDefault(REQUEST_CHANNEL, 0L);
        }
    }

    @Test
    void aSocketNodeOperatesOnTheNodePeersSockets() {
        ClusterOpsInteropIT.check(ClusterOpsInteropIT.run(url(javaOne), peerUrl));
    }

    @Test
    void theNodePeerOperatesOnASocketNodesSockets() {
        ClusterOpsInteropIT.check(ClusterOpsInteropIT.run(peerUrl, url(javaOne)));
    }

    @Test
    void aSocketNodeOperatesOnAnotherSocketNodesSockets() {
        ClusterOpsInteropIT.check(ClusterOpsInteropIT.run(url(javaTwo), url(javaOne)));
    }

    @Test
    void serversAreCountedAsLongAsTheyAreSubscribed() throws Exception {
        // A socket-node that stops closes its subscription: nobody waits for it.
        SocketNode leaving = startJava("java-leaving");
        await().atMost(WAIT).until(() -> servers() == 4);
        assertEquals(List.of("java-2", "java-leaving", "node-peer"), answering(ping()));
        leaving.close();
        await().atMost(WAIT).until(() -> servers() == 3);
        Replies<JsonNode> afterStop = ping();
        assertTrue(afterStop.complete(), "a stopped node is not waited for: " + afterStop);
        assertEquals(List.of("java-2", "node-peer"), answering(afterStop));

        // A Node server that hangs is still subscribed: the request waits for it until its deadline and
        // returns the answers that came; once it is killed, Redis drops its subscription.
        Process doomed = startPeer(RedisServer.freePort());
        try {
            await().atMost(WAIT).until(() -> servers() == 4);
            Replies<JsonNode> withDoomed = ping();
            assertTrue(withDoomed.complete(), withDoomed.toString());
            assertEquals(4 - 1, withDoomed.values().size(), "every other server answers: " + withDoomed);
            signal("STOP", doomed);
            long asked = System.nanoTime();
            Replies<JsonNode> hanging = ping();
            System.out.printf("a request with a hung server returned after %d ms (deadline 3000 ms)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            assertFalse(hanging.complete(), "a hung server's answer is missing: " + hanging);
            assertEquals(List.of("java-2", "node-peer"), answering(hanging), "the answers that came");
            doomed.destroyForcibly();
            await().atMost(WAIT).until(() -> servers() == 3);
            Replies<JsonNode> afterKill = ping();
            assertTrue(afterKill.complete(), "a killed server is not waited for: " + afterKill);
            assertEquals(List.of("java-2", "node-peer"), answering(afterKill));
        } finally {
            doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** serverSideEmitWithAck("ping") from java-1, with the 3 s deadline of the tests' apps. */
    private static Replies<JsonNode> ping() throws Exception {
        return javaOne.io().serverSideEmitWithAck(Duration.ofSeconds(3), "ping", "count me").get(30, TimeUnit.SECONDS);
    }

    /** The names of the servers that answered a ping, sorted. */
    private static List<String> answering(Replies<JsonNode> replies) {
        TreeSet<String> names = new TreeSet<>();
        replies.values().forEach(answer -> names.add(answer.path("node").asText()));
        assertEquals(replies.values().size(), names.size(), "one answer per server: " + replies);
        return List.copyOf(names);
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
