package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.socketfleet.node.metrics.NodeMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Targeting across two nodes of a fleet, the Redis adapter's part: what it publishes, on which
 * channel, and what a node does with what others publish. Pub/sub is an in-memory bus that,
 * like Redis, hands every message to every node, the publisher included.
 */
class RedisAdapterTest {

    /** One node: its adapter for "/" and whom each delivery reached there. */
    private static final class Node {
        final FakeSockets sockets = new FakeSockets();
        final RedisAdapter adapter;

        Node(MemoryBus bus, String uid, String namespace) {
            adapter = new RedisAdapter(namespace, sockets, bus.node(uid), new NodeMetrics());
            sockets.attach(adapter);
        }

        List<Set<String>> reached() {
            return sockets.deliveries.stream().map(FakeSockets.Delivery::socketIds).toList();
        }

        void connect(String socketId, String... rooms) {
            adapter.join(socketId, socketId);
            for (String room : rooms) {
                adapter.join(socketId, room);
            }
        }
    }

    private final MemoryBus bus = new MemoryBus();
    private final Node one = new Node(bus, "node-1", "/");
    private final Node two = new Node(bus, "node-2", "/");
    private final BroadcastPacket news = new BroadcastPacket("/", JsonNodeFactory.instance.arrayNode().add("news"));

    @BeforeEach
    void connectSockets() {
        one.connect("a", "red");
        one.connect("b", "blue");
        two.connect("c", "red");
        two.connect("d", "blue", "red");
    }

    @Test
    void aBroadcastReachesEveryNodeOnceAndItsSenderOnlyLocally() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of(), Set.of(), false));
        assertEquals(List.of("socket.io#/#"), bus.channels);
        assertEquals(List.of(Set.of("a", "b")), one.reached(), "its own message coming back is ignored");
        assertEquals(List.of(Set.of("c", "d")), two.reached());
    }

    @Test
    void exactlyOneRoomGoesOnThatRoomsChannelAndOnlyNodesWithTheRoomDeliver() {
        Node three = new Node(bus, "node-3", "/");
        three.connect("e", "green");

        one.adapter.broadcast(news, new BroadcastOptions(Set.of("red"), Set.of(), false));
        assertEquals(List.of("socket.io#/#red#"), bus.channels);
        assertEquals(List.of(Set.of("a")), one.reached());
        assertEquals(List.of(Set.of("c", "d")), two.reached());
        assertEquals(List.of(), three.reached());
    }

    @Test
    void exceptAppliesOnEveryNode() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of("red", "blue"), Set.of("blue"), false));
        assertEquals(List.of("socket.io#/#"), bus.channels, "several rooms go on the namespace channel");
        assertEquals(List.of(Set.of("a")), one.reached());
        assertEquals(List.of(Set.of("c")), two.reached());
    }

    @Test
    void aSocketIdTargetsThatSocketWhereverItIs() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of("d"), Set.of(), false));
        assertEquals(List.of(), one.reached());
        assertEquals(List.of(Set.of("d")), two.reached());
    }

    @Test
    void aLocalBroadcastIsNotPublished() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of(), Set.of(), true));
        assertEquals(List.of(), bus.channels);
        assertEquals(List.of(Set.of("a", "b")), one.reached());
        assertEquals(List.of(), two.reached());
    }

    @Test
    void otherNamespacesAreIgnored() {
        Node chat = new Node(bus, "node-3", "/chat");
        chat.connect("x");
        one.adapter.broadcast(news, new BroadcastOptions(Set.of(), Set.of(), false));
        assertEquals(List.of(), chat.reached());

        chat.adapter.broadcast(new BroadcastPacket("/chat", news.data()), new BroadcastOptions(Set.of(), Set.of(), false));
        assertEquals(List.of("socket.io#/#", "socket.io#/chat#"), bus.channels);
        assertEquals(List.of(Set.of("a", "b")), one.reached(), "only its own broadcast");
    }
}
