package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.testing.RedisCluster;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classic adapter's fleet-wide requests on a real Redis Cluster of three masters, the two
 * socket-nodes subscribed on different masters: PUBLISH there counts only the subscribers of
 * the master it was sent to, so a node counts a request's receivers on every master — and waits
 * for the other node's answer instead of finishing at once without it.
 */
class ClassicOnRedisClusterIT {

    private static final String REQUESTS = "socket.io-request#/#";

    @Test
    void aRequestIsAnsweredByANodeSubscribedOnAnotherMaster() throws Exception {
        try (RedisCluster cluster = new RedisCluster()) {
            List<Integer> masters = cluster.ports();
            SocketNode one = SocketNode.start(config("one", masters.get(0)));
            SocketNode two = SocketNode.start(config("two", masters.get(1)),
                    node -> node.io().onServerSideEmit("ping", (args, ack) -> ack.send("pong from two")));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> subscribers(cluster, masters.get(0)) == 1
                        && subscribers(cluster, masters.get(1)) == 1);

                Replies<JsonNode> replies = one.io().serverSideEmitWithAck(Duration.ofSeconds(20), "ping")
                        .get(30, TimeUnit.SECONDS);
                assertTrue(replies.complete(), replies.toString());
                assertEquals(List.of("pong from two"), replies.values().stream().map(JsonNode::asText).toList());
            } finally {
                one.close();
                two.close();
            }
        }
    }

    private static NodeConfig config(String name, int master) {
        URI url = URI.create("redis://127.0.0.1:" + master);
        return NodeConfig.localDefaults(name)
                .withRedis(new RedisSettings(url, null, RedisServer.PASSWORD, RedisSettings.Tls.NONE, null, true));
    }

    /** The request channel's subscribers connected to this master. */
    private static long subscribers(RedisCluster cluster, int master) {
        try (Jedis jedis = cluster.jedis(master)) {
            return jedis.pubsubNumSub(REQUESTS).get(REQUESTS);
        }
    }
}
