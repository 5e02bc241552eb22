package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.SentinelGroup;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two socket-nodes reaching Redis through three real Sentinels; the master is killed with
 * kill -9, the Sentinels promote the replica, and the nodes find the new master by themselves:
 * broadcasts between them reach official socket.io-clients again within seconds, a client
 * connected throughout stays connected, and nothing escapes as an exception. The TLS subclass runs
 * the same with every server and Sentinel on TLS only.
 */
class RedisSentinelFailoverIT {

    SentinelGroup redis;
    private SocketNode a;
    private SocketNode b;
    private EscapedExceptions escaped;

    @BeforeEach
    void start() throws Exception {
        escaped = EscapedExceptions.watch();
        redis = group();
        a = node("sentinel-a");
        b = node("sentinel-b");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.broker().orElseThrow().isUp() && b.broker().orElseThrow().isUp());
    }

    /** The Redis servers and Sentinels the nodes use. */
    SentinelGroup group() throws Exception {
        return new SentinelGroup();
    }

    /** How the nodes talk to them. */
    RedisSettings.Tls tls() {
        return RedisSettings.Tls.NONE;
    }

    private SocketNode node(String name) throws InterruptedException {
        RedisSettings settings = new RedisSettings(null, null, RedisServer.PASSWORD, tls(),
                new RedisSettings.Sentinel(SentinelGroup.MASTER_NAME, redis.addresses(), null), false);
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(settings), TestApp::install);
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
        escaped.close();
    }

    /** Official clients, two per node: a broadcast from a client of node a reaches all four exactly once. */
    private boolean broadcastsCrossTheFleet(String payload) {
        JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", List.of(url(a), url(b)), "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", payload, "settleMs", 1500)).get("received");
        for (JsonNode client : received) {
            if (!client.get("events").toString().equals("[[\"" + payload + "\",{\"binary\":[4,5,6]}]]")) {
                return false;
            }
        }
        return received.size() == 4;
    }

    private static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    @Test
    void afterTheMasterIsKilledTheNodesFollowTheSentinelsToTheNewOne() throws Exception {
        try (RawWebSocket stayer = RawWebSocket.open(b.port())) {
            stayer.connectMain();
            assertEquals(true, broadcastsCrossTheFleet("before the failover"));

            HostAndPort killed = redis.killMaster();
            long killedAt = System.nanoTime();
            int[] round = {0};
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broadcastsCrossTheFleet("after the failover, round " + ++round[0]));
            System.out.printf(getClass().getSimpleName() + ": Sentinel failover: broadcasts crossed nodes again %.1f s after kill -9 of the master "
                    + "(%d rounds of official clients)%n", (System.nanoTime() - killedAt) / 1e9, round[0]);
            assertNotEquals(killed, redis.master(), "the Sentinels promoted the replica");

            a.io().emit("news", "to the client that stayed");
            assertEquals("42[\"news\",\"to the client that stayed\"]",
                    stayer.nextStartingWith("42[\"news\"", Duration.ofSeconds(30)));
            assertFalse(stayer.closedWithin(Duration.ofMillis(10)), "the client stayed connected through the failover");
        }
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void aFailoverThatLeavesTheOldMasterRunningMovesTheSubscriptionsToTheNewOne() throws Exception {
        HostAndPort old = redis.master();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.patternSubscribers(old) == 2);

        redis.failover();
        await().atMost(Duration.ofSeconds(60)).until(() -> !redis.master().equals(old));
        HostAndPort promoted = redis.master();
        // The demoted master still takes connections, and PUBLISH reaches its subscribers by replication,
        // but a subscription belongs on the master: both nodes move theirs.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> redis.patternSubscribers(promoted) == 2 && redis.patternSubscribers(old) == 0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> broadcastsCrossTheFleet("after a manual failover"));
        assertEquals(List.of(), escaped.found());
    }
}
