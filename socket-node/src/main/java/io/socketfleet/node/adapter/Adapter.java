package io.socketfleet.node.adapter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Room membership of one namespace on this node, and delivery of broadcasts to the local
 * sockets they target. Subclasses also carry broadcasts to the rest of the fleet.
 */
public class Adapter {

    protected final String namespace;
    private final LocalSockets sockets;
    private final Map<String, Set<String>> roomMembers = new HashMap<>();
    private final Map<String, Set<String>> socketRooms = new HashMap<>();

    public Adapter(String namespace, LocalSockets sockets) {
        this.namespace = namespace;
        this.sockets = sockets;
    }

    public synchronized void join(String socketId, String room) {
        socketRooms.computeIfAbsent(socketId, id -> new HashSet<>()).add(room);
        roomMembers.computeIfAbsent(room, r -> new HashSet<>()).add(socketId);
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
        }
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
            sockets.deliver(packet, targets);
        }
    }

    public void close() {
    }
}
