package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.socketio.SocketIoServer;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.ShardedPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * socket-node and a Node socket.io 4.8 server with {@code createShardedAdapter} (@socket.io/redis-adapter
 * 8.3, subscription mode "dynamic", the default) on one real Redis 7, each with official clients:
 * broadcasts, rooms, fetchSockets with remote emits, socketsJoin/Leave, disconnectSockets,
 * serverSideEmit with and without acks and broadcasts with acks, each started from either side.
 */
class ShardedInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer redis;
    private static SocketNode javaNode;
    private static ShardedPeer peer;
    private static final List<JsonNode> javaNotes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        javaNode = SocketNode.start(NodeConfig.localDefaults("java-node").withRedis(redis.url(), RedisServer.PASSWORD)
                .withShardedPubSub(SubscriptionMode.DYNAMIC), node -> install(node.io(), javaNotes));
        peer = ShardedPeer.start(redis.urlWithPassword(), "dynamic", false);
        await().atMost(WAIT).until(() -> javaNode.shardedBroker().orElseThrow().isUp());
        await().atMost(WAIT).until(() -> shardSubscribers("socket.io#/#") == 2);

        // Two clients per server, in rooms r1 and r2.
        connect("j1", javaUrl(), "r1");
        connect("j2", javaUrl(), "r2");
        connect("n1", peer.url(), "r1");
        connect("n2", peer.url(), "r2");
        // Dynamic mode: both servers hold r1 and r2, so both subscribe to the rooms' own channels.
        await().atMost(WAIT).until(() -> shardSubscribers("socket.io#/#r1#") == 2 && shardSubscribers("socket.io#/#r2#") == 2);
    }

    /** The Java side of the scenario, mirroring sharded-peer.js; server-side 'note's go to {@code notes}. */
    static void install(SocketIoServer io, List<JsonNode> notes) {
        io.mainNamespace().onConnection(socket -> {
            socket.data().put("name", socket.handshake().auth().path("name").asText());
            socket.data().put("server", "java");
            socket.handshake().auth().path("rooms").forEach(room -> socket.join(room.asText()));
            socket.emit("ready");
        });
        io.onServerSideEmit("note", (args, ack) -> notes.add(args.get(0)));
        io.onServerSideEmit("ping-server", (args, ack) -> ack.send("java answers " + args.get(0).asText()));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (peer != null) {
            peer.close();
        }
        if (javaNode != null) {
            javaNode.close();
        }
        redis.close();
    }

    private static String javaUrl() {
        return "http://127.0.0.1:" + javaNode.port();
    }

    private static void connect(String name, String url, String... rooms) {
        peer.call("connect", Map.of("url", url, "name", name, "rooms", List.of(rooms)));
    }

    /** PUBSUB SHARDNUMSUB: how many servers subscribed to the channel on its shard. */
    static long shardSubscribers(String channel) {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build())) {
            return jedis.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
        }
    }

    /** The events a client received that are named so, as JSON text. */
    private static List<String> received(String client, String event) {
        JsonNode events = peer.call("events", Map.of("name", client)).get("events");
        return StreamSupport.stream(events.spliterator(), false)
                .filter(e -> e.get(0).asText().equals(event))
                .map(JsonNode::toString)
                .toList();
    }

    private static void awaitReceived(String event, Map<String, List<String>> expected) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (Map.Entry<String, List<String>> client : expected.entrySet()) {
                assertEquals(client.getValue(), received(client.getKey(), event), client.getKey() + " got");
            }
        });
    }

    @Test
    void broadcastsToAllAndToARoomReachBothServersClientsWithBinary() {
        javaNode.io().emit("from-java", Map.of("n", 1), new byte[] {4, 5, 6});
        String fromJava = "[\"from-java\",{\"n\":1},{\"binary\":[4,5,6]}]";
        awaitReceived("from-java", Map.of("j1", List.of(fromJava), "j2", List.of(fromJava), "n1", List.of(fromJava),
                "n2", List.of(fromJava)));

        peer.call("emit", Map.of("event", "from-node", "payload", "hi"));
        String fromNode = "[\"from-node\",\"hi\",{\"binary\":[9,8,7]}]";
        awaitReceived("from-node", Map.of("j1", List.of(fromNode), "j2", List.of(fromNode), "n1", List.of(fromNode),
                "n2", List.of(fromNode)));

        // One room: published on the room's own channel.
        javaNode.io().to("r1").emit("java-r1", "x");
        peer.call("emit", Map.of("room", "r2", "event", "node-r2", "payload", "y"));
        awaitReceived("java-r1", Map.of("j1", List.of("[\"java-r1\",\"x\"]"), "n1", List.of("[\"java-r1\",\"x\"]"),
                "j2", List.of(), "n2", List.of()));
        awaitReceived("node-r2", Map.of("j2", List.of("[\"node-r2\",\"y\",{\"binary\":[9,8,7]}]"),
                "n2", List.of("[\"node-r2\",\"y\",{\"binary\":[9,8,7]}]"), "j1", List.of(), "n1", List.of()));
    }

    @Test
    void fetchSocketsFromEitherSideSeesEveryServersSockets() throws Exception {
        List<RemoteSocket> all = javaNode.io().fetchSockets().get(20, TimeUnit.SECONDS);
        assertEquals(Set.of("j1", "j2", "n1", "n2"), all.stream().map(s -> s.data().path("name").asText()).collect(Collectors.toSet()));
        RemoteSocket n1 = all.stream().filter(s -> s.data().path("name").asText().equals("n1")).findFirst().orElseThrow();
        assertEquals("node", n1.data().path("server").asText());
        assertTrue(n1.rooms().contains("r1") && n1.rooms().contains(n1.id()), n1.rooms().toString());

        List<RemoteSocket> inR2 = javaNode.io().to("r2").fetchSockets().get(20, TimeUnit.SECONDS);
        assertEquals(Set.of("j2", "n2"), inR2.stream().map(s -> s.data().path("name").asText()).collect(Collectors.toSet()));

        JsonNode fromNode = peer.call("fetch", Map.of("room", "r1"));
        Set<String> names = new TreeSet<>();
        fromNode.forEach(s -> names.add(s.at("/data/name").asText() + "@" + s.at("/data/server").asText()));
        assertEquals(Set.of("j1@java", "n1@node"), names);
    }

    @Test
    void aRemoteSocketEmitsOnTheServerThatHoldsIt() throws Exception {
        RemoteSocket n2 = javaNode.io().fetchSockets().get(20, TimeUnit.SECONDS).stream()
                .filter(s -> s.data().path("name").asText().equals("n2")).findFirst().orElseThrow();
        n2.emit("direct", "to n2");
        assertEquals(2, peer.call("remoteEmit", Map.of("room", "r1", "event", "node-direct", "payload", "to r1")).get("count").asInt());
        awaitReceived("direct", Map.of("n2", List.of("[\"direct\",\"to n2\"]"), "j2", List.of(), "n1", List.of()));
        awaitReceived("node-direct", Map.of("j1", List.of("[\"node-direct\",\"to r1\"]"),
                "n1", List.of("[\"node-direct\",\"to r1\"]"), "j2", List.of()));
    }

    @Test
    void serverSideEmitWithAndWithoutAcksBothWays() throws Exception {
        Replies<JsonNode> answers = javaNode.io().serverSideEmitWithAck(Duration.ofSeconds(10), "ping-server", "q1")
                .get(20, TimeUnit.SECONDS);
        assertTrue(answers.complete());
        assertEquals(List.of("\"node answers q1\""), answers.values().stream().map(JsonNode::toString).toList());

        assertEquals("[\"java answers q2\"]", peer.call("serverSideEmitWithAck", Map.of("arg", "q2")).toString());

        javaNode.io().serverSideEmit("note", "from java");
        peer.call("serverSideEmit", Map.of("arg", "from node"));
        await().atMost(WAIT).until(() -> peer.call("notes").toString().equals("[\"from java\"]"));
        await().atMost(WAIT).until(() -> javaNotes.toString().equals("[\"from node\"]"));
    }

    @Test
    void broadcastsWithAcksCountEveryServersClients() throws Exception {
        Replies<JsonNode> answers = javaNode.io().timeout(Duration.ofSeconds(10)).emitWithAck("question", "a?")
                .get(20, TimeUnit.SECONDS);
        assertTrue(answers.complete());
        assertEquals(List.of("j1 answers a?", "j2 answers a?", "n1 answers a?", "n2 answers a?"),
                answers.values().stream().map(JsonNode::asText).sorted().toList());

        assertEquals("[\"j1 answers b?\",\"n1 answers b?\"]",
                peer.call("emitWithAck", Map.of("room", "r1", "arg", "b?")).toString());
    }

    @Test
    void socketsJoinAndLeaveAndDisconnectReachTheOtherServer() throws Exception {
        connect("k1", javaUrl(), "kick");
        connect("k2", peer.url(), "kick");

        peer.call("join", Map.of("room", "kick", "rooms", List.of("joined-by-node")));
        javaNode.io().to("kick").socketsJoin("joined-by-java");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(Set.of("k1", "k2"),
                javaNode.io().to("joined-by-node").fetchSockets().get(20, TimeUnit.SECONDS).stream()
                        .map(s -> s.data().path("name").asText()).collect(Collectors.toSet())));
        await().atMost(WAIT).until(() -> peer.call("fetch", Map.of("room", "joined-by-java")).size() == 2);

        javaNode.io().to("kick").socketsLeave("joined-by-java");
        await().atMost(WAIT).until(() -> peer.call("fetch", Map.of("room", "joined-by-java")).isEmpty());

        peer.call("disconnect", Map.of("room", "kick"));
        await().atMost(WAIT).until(() -> !peer.call("events", Map.of("name", "k1")).get("connected").asBoolean());
        await().atMost(WAIT).until(() -> !peer.call("events", Map.of("name", "k2")).get("connected").asBoolean());
        assertFalse(javaNode.io().fetchSockets().get(20, TimeUnit.SECONDS).stream()
                .anyMatch(s -> s.data().path("name").asText().startsWith("k")), "both kicked everywhere");
    }
}
