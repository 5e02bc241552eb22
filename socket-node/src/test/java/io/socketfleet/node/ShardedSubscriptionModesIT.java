package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.ShardedPeer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two socket-nodes and a Node socket.io server with {@code createShardedAdapter}, all in the same
 * subscription mode, on one Redis 7: the channels each mode subscribes (PUBSUB SHARDCHANNELS) are the
 * ones Node's adapter subscribes, and a broadcast to a room and an emit to one remote socket reach
 * exactly their clients whichever server sends them.
 */
class ShardedSubscriptionModesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(SubscriptionMode.class)
    void everyModeSubscribesWhatNodeDoesAndDeliversToExactlyTheTargets(SubscriptionMode mode) throws Exception {
        try (RedisServer redis = new RedisServer()) {
            NodeConfig config = NodeConfig.localDefaults("java").withRedis(redis.url(), RedisServer.PASSWORD).withShardedPubSub(mode);
            try (SocketNode a = SocketNode.start(config, node -> ShardedInteropIT.install(node.io(), new CopyOnWriteArrayList<>()));
                 SocketNode b = SocketNode.start(config, node -> ShardedInteropIT.install(node.io(), new CopyOnWriteArrayList<>()));
                 ShardedPeer peer = ShardedPeer.start(redis.urlWithPassword(), mode.wireName(), false)) {
                await().atMost(WAIT).until(() -> a.shardedBroker().orElseThrow().isUp() && b.shardedBroker().orElseThrow().isUp());
                String idA = peer.call("connect", Map.of("url", "http://127.0.0.1:" + a.port(), "name", "a", "rooms", List.of("lobby")))
                        .get("id").asText();
                peer.call("connect", Map.of("url", "http://127.0.0.1:" + b.port(), "name", "b", "rooms", List.of("lobby")));
                String idN = peer.call("connect", Map.of("url", peer.url(), "name", "n", "rooms", List.of("lobby"))).get("id").asText();
                peer.call("connect", Map.of("url", "http://127.0.0.1:" + b.port(), "name", "outside", "rooms", List.of()));

                // The namespace's channel, three response channels, and what the mode adds.
                int expected = 1 + 3 + switch (mode) {
                    case STATIC -> 0;
                    case DYNAMIC -> 1;                  // the lobby
                    case DYNAMIC_PRIVATE -> 1 + 4;      // the lobby and every socket's own room
                };
                await().atMost(WAIT).untilAsserted(() -> assertEquals(expected, channels(redis).size(), mode + ": " + channels(redis)));
                if (mode != SubscriptionMode.STATIC) {
                    await().atMost(WAIT).until(() -> subscribers(redis, "socket.io#/#lobby#") == 3);
                }

                a.io().to("lobby").emit("lobby-news", "from a");
                peer.call("emit", Map.of("room", "lobby", "event", "lobby-node", "payload", "from n"));
                RemoteSocket n = a.io().fetchSockets().get(20, TimeUnit.SECONDS).stream()
                        .filter(s -> s.id().equals(idN)).findFirst().orElseThrow();
                n.emit("direct", "to n");
                peer.call("remoteEmit", Map.of("room", idA, "event", "direct", "payload", "to a"));

                await().atMost(WAIT).untilAsserted(() -> {
                    for (String client : List.of("a", "b", "n")) {
                        assertEquals(List.of("[\"lobby-news\",\"from a\"]"), received(peer, client, "lobby-news"), mode + " " + client);
                        assertEquals(List.of("[\"lobby-node\",\"from n\",{\"binary\":[9,8,7]}]"), received(peer, client, "lobby-node"),
                                mode + " " + client);
                    }
                    assertEquals(List.of("[\"direct\",\"to n\"]"), received(peer, "n", "direct"), mode.toString());
                    assertEquals(List.of("[\"direct\",\"to a\"]"), received(peer, "a", "direct"), mode.toString());
                });
                assertEquals(List.of(), received(peer, "b", "direct"), mode.toString());
                assertEquals(List.of(), received(peer, "outside", "lobby-news"), mode.toString());
                assertEquals(List.of(), received(peer, "outside", "lobby-node"), mode.toString());
            }
        }
    }

    private static Jedis jedis(RedisServer redis) {
        return new Jedis(new HostAndPort("127.0.0.1", redis.port()), DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build());
    }

    private static Set<String> channels(RedisServer redis) {
        try (Jedis jedis = jedis(redis)) {
            return new TreeSet<>(jedis.pubsubShardChannels("socket.io#*"));
        }
    }

    private static long subscribers(RedisServer redis, String channel) {
        try (Jedis jedis = jedis(redis)) {
            return jedis.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
        }
    }

    private static List<String> received(ShardedPeer peer, String client, String event) {
        JsonNode events = peer.call("events", Map.of("name", client)).get("events");
        return StreamSupport.stream(events.spliterator(), false).filter(e -> e.get(0).asText().equals(event))
                .map(JsonNode::toString).toList();
    }
}
