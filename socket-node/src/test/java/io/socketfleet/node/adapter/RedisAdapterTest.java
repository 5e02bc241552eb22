package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.socketfleet.node.metrics.NodeMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Targeting across two nodes of a fleet, the Redis adapter's part: what it publishes, on which
 * channel, and what a node does with what others publish. Pub/sub is an in-memory bus that,
 * like Redis, hands every message to every node, the publisher included.
 */
class RedisAdapterTest {

    /** Every message published on the bus, in order, and every node's listeners. */
    private static final class Bus {
        final List<String> channels = new ArrayList<>();
        final List<BiConsumer<String, byte[]>> listeners = new ArrayList<>();

        PubSub node(String uid) {
            return new PubSub() {
                @Override
                public String uid() {
                    return uid;
                }

                @Override
                public void publish(String channel, byte[] message) {
                    channels.add(channel);
                    List.copyOf(listeners).forEach(listener -> listener.accept(channel, message));
                }

                @Override
                public void addListener(BiConsumer<String, byte[]> listener) {
                    listeners.add(listener);
                }
            };
        }
    }

    /** One node: its adapter for "/" and whom each delivery reached there. */
    private static final class Node {
        final List<Set<String>> reached = new ArrayList<>();
        final RedisAdapter adapter;

        Node(Bus bus, String uid, String namespace) {
            adapter = new RedisAdapter(namespace, (packet, ids) -> reached.add(Set.copyOf(ids)), bus.node(uid), new NodeMetrics());
        }

        void connect(String socketId, String... rooms) {
            adapter.join(socketId, socketId);
            for (String room : rooms) {
                adapter.join(socketId, room);
            }
        }
    }

    private final Bus bus = new Bus();
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
        assertEquals(List.of(Set.of("a", "b")), one.reached, "its own message coming back is ignored");
        assertEquals(List.of(Set.of("c", "d")), two.reached);
    }

    @Test
    void exactlyOneRoomGoesOnThatRoomsChannelAndOnlyNodesWithTheRoomDeliver() {
        Node three = new Node(bus, "node-3", "/");
        three.connect("e", "green");

        one.adapter.broadcast(news, new BroadcastOptions(Set.of("red"), Set.of(), false));
        assertEquals(List.of("socket.io#/#red#"), bus.channels);
        assertEquals(List.of(Set.of("a")), one.reached);
        assertEquals(List.of(Set.of("c", "d")), two.reached);
        assertEquals(List.of(), three.reached);
    }

    @Test
    void exceptAppliesOnEveryNode() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of("red", "blue"), Set.of("blue"), false));
        assertEquals(List.of("socket.io#/#"), bus.channels, "several rooms go on the namespace channel");
        assertEquals(List.of(Set.of("a")), one.reached);
        assertEquals(List.of(Set.of("c")), two.reached);
    }

    @Test
    void aSocketIdTargetsThatSocketWhereverItIs() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of("d"), Set.of(), false));
        assertEquals(List.of(), one.reached);
        assertEquals(List.of(Set.of("d")), two.reached);
    }

    @Test
    void aLocalBroadcastIsNotPublished() {
        one.adapter.broadcast(news, new BroadcastOptions(Set.of(), Set.of(), true));
        assertEquals(List.of(), bus.channels);
        assertEquals(List.of(Set.of("a", "b")), one.reached);
        assertEquals(List.of(), two.reached);
    }

    @Test
    void otherNamespacesAreIgnored() {
        Node chat = new Node(bus, "node-3", "/chat");
        chat.connect("x");
        one.adapter.broadcast(news, new BroadcastOptions(Set.of(), Set.of(), false));
        assertEquals(List.of(), chat.reached);

        chat.adapter.broadcast(new BroadcastPacket("/chat", news.data()), new BroadcastOptions(Set.of(), Set.of(), false));
        assertEquals(List.of("socket.io#/#", "socket.io#/chat#"), bus.channels);
        assertEquals(List.of(Set.of("a", "b")), one.reached, "only its own broadcast");
    }
}
