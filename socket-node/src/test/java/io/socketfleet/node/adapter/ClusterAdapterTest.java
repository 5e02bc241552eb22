package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.socketfleet.node.metrics.NodeMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet-wide operations between three nodes on an in-memory bus with Redis's counting
 * rules, through the classic Redis adapter (so through its wire format too): node one holds
 * sockets a (red) and b (blue), node two c (red) and d (blue, red), node three e.
 */
class ClusterAdapterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final class Node {
        final FakeSockets sockets = new FakeSockets();
        final PubSub pubSub;
        final RedisAdapter adapter;

        Node(MemoryBus bus, String uid) {
            pubSub = bus.node(uid);
            adapter = new RedisAdapter("/", sockets, pubSub, new NodeMetrics());
            sockets.attach(adapter);
        }
    }

    private final MemoryBus bus = new MemoryBus();
    private final Node one = new Node(bus, "node-1");
    private final Node two = new Node(bus, "node-2");
    private final Node three = new Node(bus, "node-3");

    @BeforeEach
    void connectSockets() {
        one.sockets.connect("a", "red");
        one.sockets.connect("b", "blue");
        two.sockets.connect("c", "red");
        two.sockets.connect("d", "blue", "red");
        three.sockets.connect("e");
    }

    private static BroadcastOptions to(Set<String> rooms, Set<String> except) {
        return new BroadcastOptions(rooms, except, false);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void fetchSocketsGathersTheSelectedSocketsOfEveryNode() throws Exception {
        Collected<SocketDetails> all = await(one.adapter.fetchSockets(to(Set.of(), Set.of()), WAIT));
        assertTrue(all.complete());
        assertEquals(Set.of("a", "b", "c", "d", "e"), ids(all));

        Collected<SocketDetails> redNotBlue = await(one.adapter.fetchSockets(to(Set.of("red"), Set.of("blue")), WAIT));
        assertEquals(Set.of("a", "c"), ids(redNotBlue));
        SocketDetails c = redNotBlue.values().stream().filter(s -> s.id().equals("c")).findFirst().orElseThrow();
        assertEquals(Set.of("c", "red"), c.rooms());
        assertEquals("u-c", c.data().path("user").asText(), "data travels");
        assertEquals("10.0.0.1", c.handshake().path("address").asText(), "the handshake travels");
        forgotten(one);
    }

    @Test
    void aLocalFetchAsksNoOne() throws Exception {
        Collected<SocketDetails> local = await(one.adapter.fetchSockets(new BroadcastOptions(Set.of(), Set.of(), true), WAIT));
        assertEquals(Set.of("a", "b"), ids(local));
        assertEquals(List.of(), bus.channels);
    }

    @Test
    void aServerThatGotTheRequestButNeverAnswersCostsTheWaitNotTheOtherAnswers() throws Exception {
        bus.deafen(three.pubSub);
        long start = System.nanoTime();
        Collected<SocketDetails> replies = await(one.adapter.fetchSockets(to(Set.of(), Set.of()), Duration.ofMillis(300)));
        assertFalse(replies.complete(), "three was counted and did not answer");
        assertEquals(Set.of("a", "b", "c", "d"), ids(replies));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "it waited for three until the deadline");
        forgotten(one);
    }

    @Test
    void withRedisAwayTheLocalAnswerComesAtOnceMarkedIncomplete() throws Exception {
        bus.down = true;
        Collected<SocketDetails> replies = one.adapter.fetchSockets(to(Set.of(), Set.of()), Duration.ofMinutes(5))
                .get(5, TimeUnit.SECONDS);
        assertFalse(replies.complete());
        assertEquals(Set.of("a", "b"), ids(replies));
    }

    @Test
    void socketsJoinAndLeaveApplyOnEveryNode() {
        one.adapter.addSockets(to(Set.of("red"), Set.of()), Set.of("green", "yellow"));
        assertEquals(Set.of("a", "red", "green", "yellow"), one.adapter.rooms("a"));
        assertEquals(Set.of("c", "red", "green", "yellow"), two.adapter.rooms("c"));
        assertEquals(Set.of("d", "blue", "red", "green", "yellow"), two.adapter.rooms("d"));
        assertEquals(Set.of("b", "blue"), one.adapter.rooms("b"));
        assertEquals(Set.of("e"), three.adapter.rooms("e"));

        two.adapter.delSockets(to(Set.of("green"), Set.of("blue")), Set.of("yellow"));
        assertEquals(Set.of("a", "red", "green"), one.adapter.rooms("a"));
        assertEquals(Set.of("c", "red", "green"), two.adapter.rooms("c"));
        assertEquals(Set.of("d", "blue", "red", "green", "yellow"), two.adapter.rooms("d"), "d is in blue: excepted");
    }

    @Test
    void disconnectSocketsReachesEveryNodeWithTheCloseFlag() {
        one.adapter.disconnectSockets(to(Set.of("blue"), Set.of()), true);
        assertEquals(List.of("b (closed)"), one.sockets.disconnected);
        assertEquals(List.of("d (closed)"), two.sockets.disconnected);
        assertEquals(List.of(), three.sockets.disconnected);

        three.adapter.disconnectSockets(new BroadcastOptions(Set.of(), Set.of(), true), false);
        assertEquals(List.of("e"), three.sockets.disconnected);
        assertEquals(List.of("d (closed)"), two.sockets.disconnected, "a local disconnect stays on its node");
    }

    @Test
    void serverSideEmitReachesTheOtherServersOnly() {
        one.adapter.serverSideEmit(NODES.arrayNode().add("hello").add(NODES.objectNode().put("n", 1)));
        assertEquals("[\"hello\",{\"n\":1}]", two.sockets.serverSideEvents.get("hello").get(0).toString());
        assertEquals(1, three.sockets.serverSideEvents.get("hello").size());
        assertFalse(one.sockets.serverSideEvents.containsKey("hello"), "not to itself");
    }

    @Test
    void serverSideEmitWithAckCollectsOneAnswerPerOtherServer() throws Exception {
        two.sockets.serverSideAnswer = TextNode.valueOf("two here");
        three.sockets.serverSideAnswer = TextNode.valueOf("three here");
        Collected<JsonNode> replies = await(one.adapter.serverSideEmitWithAck(NODES.arrayNode().add("ping"), WAIT));
        assertTrue(replies.complete());
        assertEquals(Set.of("\"two here\"", "\"three here\""),
                replies.values().stream().map(JsonNode::toString).collect(Collectors.toSet()),
                "one answer each: a handler's second answer is not sent");

        three.sockets.serverSideAnswer = null;
        Collected<JsonNode> partial = await(one.adapter.serverSideEmitWithAck(NODES.arrayNode().add("ping"),
                Duration.ofMillis(200)));
        assertFalse(partial.complete());
        assertEquals(List.of(TextNode.valueOf("two here")), partial.values());
    }

    @Test
    void aBroadcastWithAcksWaitsForEveryClientOfEveryNode() throws Exception {
        BroadcastPacket ping = new BroadcastPacket("/", NODES.arrayNode().add("ping"));
        Collected<JsonNode> acks = await(one.adapter.broadcastWithAck(ping, to(Set.of(), Set.of("blue")), WAIT));
        assertTrue(acks.complete());
        assertEquals(Set.of("ack from a", "ack from c", "ack from e"),
                acks.values().stream().map(JsonNode::asText).collect(Collectors.toSet()));
        assertEquals("[\"ping\"]", two.sockets.deliveries.get(0).packet().data().toString());

        two.sockets.silent.add("c");
        Collected<JsonNode> partial = await(one.adapter.broadcastWithAck(ping, to(Set.of("red"), Set.of()),
                Duration.ofMillis(300)));
        assertFalse(partial.complete(), "c never answers");
        assertEquals(Set.of("ack from a", "ack from d"),
                partial.values().stream().map(JsonNode::asText).collect(Collectors.toSet()));
        forgotten(one);
    }

    @Test
    void aRequestOfAnUnknownKindIsIgnoredAndAnOwnRequestIsNotRunAgain() {
        byte[] newer = "{\"uid\":\"node-9\",\"requestId\":\"r1\",\"type\":42}".getBytes(StandardCharsets.UTF_8);
        bus.node("node-9").publish("socket.io-request#/#", newer);
        assertEquals(List.of("socket.io-request#/#"), bus.channels, "nobody answered");

        bus.channels.clear();
        one.adapter.disconnectSockets(to(Set.of("a"), Set.of()), false);
        assertEquals(List.of("a"), one.sockets.disconnected, "once: its own request coming back is ignored");
    }

    /** A finished request is forgotten (right after its result is handed out). */
    private static void forgotten(Node node) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> node.adapter.pendingRequests() == 0);
    }

    private static Set<String> ids(Collected<SocketDetails> replies) {
        List<String> ids = replies.values().stream().map(SocketDetails::id).toList();
        assertEquals(ids.size(), Set.copyOf(ids).size(), "every socket once: " + ids);
        return Set.copyOf(ids);
    }
}
