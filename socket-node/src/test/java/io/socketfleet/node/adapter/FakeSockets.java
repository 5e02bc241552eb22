package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A namespace's sockets on one node, in memory, for adapter tests: records what the adapter
 * did to them; joins and leaves go to the adapter as a real socket's would; a socket answers
 * an ack with "ack from &lt;id&gt;" unless it is made silent.
 */
final class FakeSockets implements LocalSockets {

    record Delivery(BroadcastPacket packet, Set<String> socketIds) {
    }

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<String> disconnected = new CopyOnWriteArrayList<>();
    final Set<String> silent = ConcurrentHashMap.newKeySet();
    final Map<String, List<JsonNode>> serverSideEvents = new ConcurrentHashMap<>();
    /** What this node's server-side handler answers; null: it does not answer. */
    volatile JsonNode serverSideAnswer;
    private Adapter adapter;

    void attach(Adapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public void deliver(BroadcastPacket packet, Set<String> socketIds, PacketFlags flags) {
        deliveries.add(new Delivery(packet, Set.copyOf(socketIds)));
    }

    @Override
    public int deliverWithAck(BroadcastPacket packet, Set<String> socketIds, PacketFlags flags, Duration timeout,
                              Consumer<JsonNode> onAck) {
        deliveries.add(new Delivery(packet, Set.copyOf(socketIds)));
        socketIds.stream().filter(id -> !silent.contains(id)).forEach(id -> onAck.accept(TextNode.valueOf("ack from " + id)));
        return socketIds.size();
    }

    @Override
    public List<SocketDetails> describe(Set<String> socketIds) {
        List<SocketDetails> details = new ArrayList<>();
        for (String id : socketIds) {
            details.add(new SocketDetails(id, JsonNodeFactory.instance.objectNode().put("address", "10.0.0.1"),
                    adapter.rooms(id), JsonNodeFactory.instance.objectNode().put("user", "u-" + id)));
        }
        return details;
    }

    @Override
    public void join(Set<String> socketIds, Set<String> rooms) {
        socketIds.forEach(id -> rooms.forEach(room -> adapter.join(id, room)));
    }

    @Override
    public void leave(Set<String> socketIds, Set<String> rooms) {
        socketIds.forEach(id -> rooms.forEach(room -> adapter.leave(id, room)));
    }

    @Override
    public void disconnect(Set<String> socketIds, boolean close) {
        socketIds.forEach(id -> {
            disconnected.add(id + (close ? " (closed)" : ""));
            adapter.leaveAll(id);
        });
    }

    @Override
    public void serverSideEmit(JsonNode data, Consumer<JsonNode> ack) {
        serverSideEvents.computeIfAbsent(data.get(0).asText(), e -> new CopyOnWriteArrayList<>()).add(data);
        if (ack != null && serverSideAnswer != null) {
            ack.accept(serverSideAnswer);
            ack.accept(TextNode.valueOf("a second answer is ignored"));
        }
    }

    /** A socket connects: it is in the room of its own id, and in these. */
    void connect(String socketId, String... rooms) {
        adapter.join(socketId, socketId);
        for (String room : rooms) {
            adapter.join(socketId, room);
        }
    }
}
