package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Room membership of one namespace on this node, and the operations socket.io's adapter
 * offers on the sockets a {@link BroadcastOptions} selects — broadcast (with or without
 * acks), fetch, join, leave, disconnect, server-side emit — carried out on this node alone.
 * {@link ClusterAdapter} extends each to the rest of the fleet.
 */
public class Adapter {

    protected final String namespace;
    protected final LocalSockets sockets;
    private final Map<String, Set<String>> roomMembers = new HashMap<>();
    private final Map<String, Set<String>> socketRooms = new HashMap<>();

    public Adapter(String namespace, LocalSockets sockets) {
        this.namespace = namespace;
        this.sockets = sockets;
    }

    public synchronized void join(String socketId, String room) {
        socketRooms.computeIfAbsent(socketId, id -> new HashSet<>()).add(room);
        Set<String> members = roomMembers.get(room);
        if (members == null) {
            members = new HashSet<>();
            roomMembers.put(room, members);
            roomCreated(room, socketRooms.containsKey(room));
        }
        members.add(socketId);
    }

    public synchronized void leave(String socketId, String room) {
        Set<String> rooms = socketRooms.get(socketId);
        if (rooms != null) {
            rooms.remove(room);
        }
        removeMember(room, socketId);
    }

    public synchronized void leaveAll(String socketId) {
        Set<String> rooms = socketRooms.remove(socketId);
        if (rooms != null) {
            rooms.forEach(room -> removeMember(room, socketId));
        }
    }

    private void removeMember(String room, String socketId) {
        Set<String> members = roomMembers.get(room);
        if (members != null && members.remove(socketId) && members.isEmpty()) {
            roomMembers.remove(room);
            roomDeleted(room);
        }
    }

    /**
     * A room got its first member on this node (socket.io-adapter's {@code create-room} event);
     * {@code socketsOwnRoom} when the room is a local socket's own id. Called with the adapter locked:
     * it must not wait.
     */
    protected void roomCreated(String room, boolean socketsOwnRoom) {
    }

    /** A room lost its last member on this node ({@code delete-room}). Called with the adapter locked. */
    protected void roomDeleted(String room) {
    }

    public synchronized Set<String> rooms(String socketId) {
        return Set.copyOf(socketRooms.getOrDefault(socketId, Set.of()));
    }

    public synchronized boolean hasRoom(String room) {
        return roomMembers.containsKey(room);
    }

    /** Ids of the local sockets a broadcast with these options reaches. */
    public synchronized Set<String> targets(BroadcastOptions options) {
        Set<String> targets = new HashSet<>();
        if (options.rooms().isEmpty()) {
            targets.addAll(socketRooms.keySet());
        } else {
            options.rooms().forEach(room -> targets.addAll(roomMembers.getOrDefault(room, Set.of())));
        }
        options.except().forEach(room -> targets.removeAll(roomMembers.getOrDefault(room, Set.of())));
        return targets;
    }

    /** Sends the event to every socket the options select, on this node and (in subclasses) beyond. */
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        deliverLocally(packet, options);
    }

    /** Hands the packet to the namespace once, with every local target. */
    protected final void deliverLocally(BroadcastPacket packet, BroadcastOptions options) {
        Set<String> targets = targets(options);
        if (!targets.isEmpty()) {
            sockets.deliver(packet, targets, options.flags());
        }
    }

    /**
     * Emits to every socket the options select, each asked for an acknowledgement: the
     * result holds the first argument of every ack that came within {@code timeout}.
     */
    public CompletableFuture<Collected<JsonNode>> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options,
                                                                 Duration timeout) {
        BroadcastAcks acks = new BroadcastAcks(timeout);
        acks.expectServers(1);
        acks.clientCount(deliverLocallyWithAck(packet, options, timeout, acks::ack));
        return acks.result();
    }

    protected final int deliverLocallyWithAck(BroadcastPacket packet, BroadcastOptions options, Duration timeout,
                                              Consumer<JsonNode> onAck) {
        Set<String> targets = targets(options);
        return targets.isEmpty() ? 0 : sockets.deliverWithAck(packet, targets, timeout, onAck);
    }

    /** The sockets the options select; across the fleet, the answers of the servers that replied within {@code timeout}. */
    public CompletableFuture<Collected<SocketDetails>> fetchSockets(BroadcastOptions options, Duration timeout) {
        return CompletableFuture.completedFuture(new Collected<>(describeLocally(options), true));
    }

    protected final List<SocketDetails> describeLocally(BroadcastOptions options) {
        Set<String> targets = targets(options);
        return targets.isEmpty() ? List.of() : sockets.describe(targets);
    }

    /** The sockets the options select join these rooms. */
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        addLocally(options, rooms);
    }

    protected final void addLocally(BroadcastOptions options, Set<String> rooms) {
        Set<String> targets = targets(options);
        if (!targets.isEmpty() && !rooms.isEmpty()) {
            sockets.join(targets, rooms);
        }
    }

    /** The sockets the options select leave these rooms. */
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        removeLocally(options, rooms);
    }

    protected final void removeLocally(BroadcastOptions options, Set<String> rooms) {
        Set<String> targets = targets(options);
        if (!targets.isEmpty() && !rooms.isEmpty()) {
            sockets.leave(targets, rooms);
        }
    }

    /** The sockets the options select are disconnected; with {@code close}, their connections closed too. */
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        disconnectLocally(options, close);
    }

    protected final void disconnectLocally(BroadcastOptions options, boolean close) {
        Set<String> targets = targets(options);
        if (!targets.isEmpty()) {
            sockets.disconnect(targets, close);
        }
    }

    /** Sends {@code [event, args…]} to the other servers' handlers; on a node alone there are none. */
    public void serverSideEmit(JsonNode data) {
    }

    /** Like {@link #serverSideEmit}, collecting one answer per other server; alone, none are expected. */
    public CompletableFuture<Collected<JsonNode>> serverSideEmitWithAck(JsonNode data, Duration timeout) {
        return CompletableFuture.completedFuture(new Collected<>(List.of(), true));
    }

    /** Every room with a member on this node (a socket's own id included). */
    public synchronized Set<String> localRooms() {
        return Set.copyOf(roomMembers.keySet());
    }

    public void close() {
    }
}
