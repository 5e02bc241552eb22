package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.testing.RedisCluster;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.ShardedPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sharded pub/sub on a real Redis Cluster of three masters started here: two socket-nodes and a Node
 * socket.io server with {@code createShardedAdapter} (on node-redis' cluster client), all given one
 * node's address. Each channel must be subscribed on the master that owns its slot — the namespace's,
 * each server's response channel, and a room channel per shard — and broadcasts, fetchSockets and
 * server-side emits with acks work across all three servers.
 */
class RedisClusterShardedIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SERVERS = List.of("a", "b", "n");

    private static RedisCluster cluster;
    private static SocketNode javaA;
    private static SocketNode javaB;
    private static ShardedPeer peer;
    /** One room per master: rooms.get(i)'s channel lives on cluster.ports().get(i). */
    private static final List<String> rooms = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = new RedisCluster();
        NodeConfig config = NodeConfig.localDefaults("java")
                .withRedis(new RedisSettings(cluster.url(), null, RedisServer.PASSWORD, RedisSettings.Tls.NONE, null, true))
                .withShardedPubSub(SubscriptionMode.DYNAMIC);
        javaA = SocketNode.start(config, node -> ShardedInteropIT.install(node.io(), new CopyOnWriteArrayList<>()));
        javaB = SocketNode.start(config, node -> ShardedInteropIT.install(node.io(), new CopyOnWriteArrayList<>()));
        peer = ShardedPeer.start(cluster.urlWithPassword(), "dynamic", true);
        await().atMost(WAIT).until(() -> javaA.shardedBroker().orElseThrow().isUp() && javaB.shardedBroker().orElseThrow().isUp());
        assertTrue(javaA.shardedBroker().orElseThrow().isCluster());
        await().atMost(WAIT).until(() -> subscribers("socket.io#/#") == 3);

        for (int master = 0; master < 3; master++) {
            for (int i = 0; ; i++) {
                String room = "room-" + master + "-" + i;
                if (owner(roomChannel(room)) == cluster.ports().get(master)) {
                    rooms.add(room);
                    break;
                }
            }
        }
        // Every server holds a client in every room: 9 clients, each room's channel subscribed three times.
        for (String server : SERVERS) {
            for (String room : rooms) {
                peer.call("connect", Map.of("url", url(server), "name", server + "@" + room, "rooms", List.of(room)));
            }
        }
        await().atMost(WAIT).until(() -> rooms.stream().allMatch(room -> subscribers(roomChannel(room)) == 3));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (peer != null) {
            peer.close();
        }
        for (SocketNode node : new SocketNode[] {javaA, javaB}) {
            if (node != null) {
                node.close();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String url(String server) {
        return switch (server) {
            case "a" -> "http://127.0.0.1:" + javaA.port();
            case "b" -> "http://127.0.0.1:" + javaB.port();
            default -> peer.url();
        };
    }

    private static String roomChannel(String room) {
        return "socket.io#/#" + room + "#";
    }

    /** The port of the master owning the channel's slot, as CLUSTER SHARDS says. */
    private static int owner(String channel) {
        int slot = JedisClusterCRC16.getSlot(channel);
        try (Jedis jedis = cluster.jedis(cluster.ports().get(0))) {
            for (ClusterShardInfo shard : jedis.clusterShards()) {
                for (List<Long> range : shard.getSlots()) {
                    if (range.get(0) <= slot && slot <= range.get(1)) {
                        return shard.getNodes().stream().filter(n -> "master".equals(n.getRole()))
                                .map(ClusterShardNodeInfo::getPort).findFirst().orElseThrow().intValue();
                    }
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    /** SHARDNUMSUB asked of the channel's own master: the only place its subscribers can be. */
    private static long subscribers(String channel) {
        try (Jedis jedis = cluster.jedis(owner(channel))) {
            return jedis.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
        }
    }

    @Test
    void everyChannelIsSubscribedOnTheMasterThatOwnsItsSlot() {
        Map<Integer, List<String>> byMaster = new HashMap<>();
        Set<String> all = new HashSet<>();
        for (int port : cluster.ports()) {
            try (Jedis jedis = cluster.jedis(port)) {
                List<String> channels = jedis.pubsubShardChannels("socket.io#*");
                byMaster.put(port, channels);
                for (String channel : channels) {
                    assertEquals(owner(channel), port, channel + " is subscribed on " + port);
                    assertTrue(all.add(channel), channel + " is subscribed on one master only");
                }
            }
        }
        for (int master = 0; master < 3; master++) {
            assertTrue(byMaster.get(cluster.ports().get(master)).contains(roomChannel(rooms.get(master))),
                    "room channel on master " + master + ": " + byMaster);
        }
        // The namespace's channel, one response channel per server, and the three rooms'.
        assertEquals(1 + 3 + 3, all.size(), all.toString());
        assertEquals(3, subscribers("socket.io#/#"));
    }

    @Test
    void broadcastsToRoomsOnEveryShardReachEveryServersClients() {
        for (String room : rooms) {
            javaA.io().to(room).emit("to-room", room);
        }
        peer.call("emit", Map.of("event", "to-all", "payload", "from node"));
        await().atMost(WAIT).untilAsserted(() -> {
            for (String server : SERVERS) {
                for (String room : rooms) {
                    JsonNode events = peer.call("events", Map.of("name", server + "@" + room)).get("events");
                    List<String> got = StreamSupport.stream(events.spliterator(), false).map(JsonNode::toString).toList();
                    assertEquals(Set.of("[\"to-room\",\"" + room + "\"]", "[\"to-all\",\"from node\",{\"binary\":[9,8,7]}]"),
                            Set.copyOf(got), server + "@" + room);
                    assertEquals(2, got.size(), server + "@" + room + " got " + got);
                }
            }
        });
    }

    @Test
    void fetchSocketsAndServerSideEmitWithAcksSpanTheCluster() throws Exception {
        List<RemoteSocket> sockets = javaB.io().fetchSockets().get(30, TimeUnit.SECONDS);
        assertEquals(9, sockets.size());
        assertEquals(Set.of("a", "b", "n"), sockets.stream().map(s -> s.data().path("name").asText().substring(0, 1))
                .collect(Collectors.toSet()));
        assertEquals(3, javaA.io().to(rooms.get(2)).fetchSockets().get(30, TimeUnit.SECONDS).size());

        Replies<JsonNode> answers = javaA.io().serverSideEmitWithAck(Duration.ofSeconds(10), "ping-server", "x")
                .get(30, TimeUnit.SECONDS);
        assertTrue(answers.complete());
        assertEquals(List.of("java answers x", "node answers x"), answers.values().stream().map(JsonNode::asText).sorted().toList());
        assertEquals("[\"java answers y\",\"java answers y\"]", peer.call("serverSideEmitWithAck", Map.of("arg", "y")).toString());
        assertEquals(9, peer.call("fetch", Map.of()).size());
    }
}
