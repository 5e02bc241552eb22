package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Room membership of one namespace on this node, and the operations socket.io's adapter
 * offers on the sockets a {@link BroadcastOptions} selects — broadcast (with or without
 * acks), fetch, join, leave, disconnect, server-side emit — carried out on this node alone.
 * {@link ClusterAdapter} extends each to the rest of the fleet.
 */
public class Adapter {

    protected final String namespace;
    protected final LocalSockets sockets;
    /**
     * Every socket of the namespace on this node, with the rooms it joined besides its own. The
     * room of its own id is implied (kept apart only in the rare case the socket left it), so an
     * idle socket costs one map entry and a shared empty set, not two sets of its own.
     */
    private final Map<String, Set<String>> socketRooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> roomMembers = new ConcurrentHashMap<>();
    private final Set<String> leftOwnRoom = ConcurrentHashMap.newKeySet();
    private final List<BiConsumer<String, String>> joinListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, String>> leaveListeners = new CopyOnWriteArrayList<>();

    public Adapter(String namespace, LocalSockets sockets) {
        this.namespace = namespace;
        this.sockets = sockets;
    }

    // Writers take the lock so both maps change together; readers (every broadcast) take none.

    public synchronized void join(String socketId, String room) {
        Set<String> rooms = socketRooms.get(socketId);
        if (room.equals(socketId)) {
            boolean created = rooms == null || leftOwnRoom.remove(socketId);
            if (rooms == null) {
                socketRooms.put(socketId, Set.of());
            }
            if (created && !roomMembers.containsKey(room)) {
                roomCreated(room, true);
            }
            if (created) {
                notify(joinListeners, room, socketId);
            }
            return;
        }
        if (rooms == null || rooms.isEmpty()) {
            rooms = ConcurrentHashMap.newKeySet();
            socketRooms.put(socketId, rooms);
        }
        boolean added = rooms.add(room);
        Set<String> members = roomMembers.get(room);
        if (members == null) {
            members = ConcurrentHashMap.newKeySet();
            roomMembers.put(room, members);
            roomCreated(room, socketRooms.containsKey(room));
        }
        members.add(socketId);
        if (added) {
            notify(joinListeners, room, socketId);
        }
    }

    public synchronized void leave(String socketId, String room) {
        Set<String> rooms = socketRooms.get(socketId);
        if (rooms == null) {
            return;
        }
        if (room.equals(socketId)) {
            if (leftOwnRoom.add(socketId)) {
                if (!roomMembers.containsKey(room)) {
                    roomDeleted(room);
                }
                notify(leaveListeners, room, socketId);
            }
            return;
        }
        if (rooms.remove(room)) {
            removeMember(room, socketId);
            notify(leaveListeners, room, socketId);
        }
    }

    public synchronized void leaveAll(String socketId) {
        Set<String> rooms = socketRooms.remove(socketId);
        if (rooms == null) {
            return;
        }
        boolean inOwnRoom = !leftOwnRoom.remove(socketId);
        if (inOwnRoom && !roomMembers.containsKey(socketId)) {
            roomDeleted(socketId);
        }
        if (inOwnRoom) {
            notify(leaveListeners, socketId, socketId);
        }
        rooms.forEach(room -> {
            removeMember(room, socketId);
            notify(leaveListeners, room, socketId);
        });
    }

    /**
     * Calls {@code listener(room, socketId)} whenever a socket of this node joins a room it was not
     * in, its own included (socket.io-adapter's {@code join-room} event). Called with the adapter
     * locked: the listener must hand anything slow elsewhere.
     */
    public void onJoin(BiConsumer<String, String> listener) {
        joinListeners.add(listener);
    }

    /** Likewise when a socket leaves a room it was in, or disconnects from it ({@code leave-room}). */
    public void onLeave(BiConsumer<String, String> listener) {
        leaveListeners.add(listener);
    }

    private static void notify(List<BiConsumer<String, String>> listeners, String room, String socketId) {
        for (BiConsumer<String, String> listener : listeners) {
            listener.accept(room, socketId);
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

    public Set<String> rooms(String socketId) {
        Set<String> rooms = socketRooms.get(socketId);
        if (rooms == null) {
            return Set.of();
        }
        Set<String> all = new HashSet<>(rooms);
        if (!leftOwnRoom.contains(socketId)) {
            all.add(socketId);
        }
        return Set.copyOf(all);
    }

    public boolean hasRoom(String room) {
        return roomMembers.containsKey(room) || isOwnRoom(room);
    }

    /** A room named after a socket of this node that has not left it. */
    private boolean isOwnRoom(String room) {
        return socketRooms.containsKey(room) && !leftOwnRoom.contains(room);
    }

    /** The sockets in one room: a live view, never copied. */
    private Set<String> members(String room) {
        Set<String> members = roomMembers.get(room);
        if (members != null) {
            return members;
        }
        return isOwnRoom(room) ? Set.of(room) : Set.of();
    }

    /** Ids of the local sockets these options select, as a set of their own (the operations that change rooms walk it). */
    public Set<String> targets(BroadcastOptions options) {
        Set<String> targets = liveTargets(options);
        return targets instanceof HashSet<String> ? targets : new HashSet<>(targets);
    }

    /**
     * The same for a broadcast, which only reads it: the common cases — everyone, one room — are
     * live read-only views of the membership, not copies, so a socket joining or leaving while the
     * broadcast is handed out may or may not get it, as with socket.io's own adapter.
     */
    private Set<String> liveTargets(BroadcastOptions options) {
        if (options.except().isEmpty()) {
            if (options.rooms().isEmpty()) {
                return Collections.unmodifiableSet(socketRooms.keySet());
            }
            if (options.rooms().size() == 1) {
                return Collections.unmodifiableSet(members(options.rooms().iterator().next()));
            }
        }
        Set<String> targets = new HashSet<>();
        if (options.rooms().isEmpty()) {
            targets.addAll(socketRooms.keySet());
        } else {
            options.rooms().forEach(room -> targets.addAll(members(room)));
        }
        options.except().forEach(room -> targets.removeAll(members(room)));
        return targets;
    }

    /** Sends the event to every socket the options select, on this node and (in subclasses) beyond. */
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        deliverLocally(packet, options);
    }

    /** Hands the packet to the namespace once, with every local target. */
    protected final void deliverLocally(BroadcastPacket packet, BroadcastOptions options) {
        Set<String> targets = liveTargets(options);
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
        return targets.isEmpty() ? 0 : sockets.deliverWithAck(packet, targets, options.flags(), timeout, onAck);
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
    public Set<String> localRooms() {
        Set<String> rooms = new HashSet<>(roomMembers.keySet());
        socketRooms.keySet().stream().filter(id -> !leftOwnRoom.contains(id)).forEach(rooms::add);
        return Set.copyOf(rooms);
    }

    // ---- connection state recovery (socket.io-adapter's persistSession / restoreSession) ----

    /**
     * Whether this adapter keeps sessions and the broadcasts they miss, so a socket can come back
     * with its id, rooms, data and missed packets; broadcasts it stores carry an offset. This one
     * does not (as socket.io's plain {@code Adapter} and the Redis pub/sub adapter do not).
     */
    public boolean recoversSessions() {
        return false;
    }

    /** A socket connected (or came back): its session, read again whenever the adapter stores it while it lives. */
    public void sessionOpened(String pid, Supplier<Session> current) {
    }

    /** The socket's rooms changed; an adapter that stores live sessions stores it again soon. */
    public void sessionChanged(String pid) {
    }

    /**
     * Writes every live session as it is now, before a drain closes any transport (an adapter that
     * keeps live sessions elsewhere than in memory); completes when written or failed.
     */
    public CompletableFuture<Void> writeLiveSessions() {
        return CompletableFuture.completedFuture(null);
    }

    /** The socket left in a way it may come back from: keep the session for the recovery window. */
    public void persistSession(Session session) {
    }

    /** The socket left for good (it or the server left the namespace): forget the session. */
    public void discardSession(String pid) {
    }

    /**
     * Takes the session {@code pid} out of the store, if it is there, within its window, and the
     * broadcast at {@code offset} is still kept (else the client cannot be told what it missed).
     */
    public CompletableFuture<Optional<Session>> takeSession(String pid, String offset) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * The broadcasts after {@code offset} that reach the session, in order, each carrying its
     * offset. Asked after the recovering socket is back in its rooms, so that what it might miss
     * between the two is in this answer or delivered live (the socket drops repeats by offset).
     */
    public CompletableFuture<List<BroadcastPacket>> missedPackets(Session session, String offset) {
        return CompletableFuture.completedFuture(List.of());
    }

    public void close() {
    }
}
