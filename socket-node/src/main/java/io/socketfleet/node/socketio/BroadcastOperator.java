package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.BroadcastOptions;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.adapter.PacketFlags;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An immutable description of whom to reach — sockets in the {@code to} rooms (all when none)
 * but not in the {@code except} rooms, on every node of the fleet unless {@code local()} —
 * and what to do with them; each method returns a new operator.
 * <pre>{@code
 * io.to("room1").except("room2").emit("news", payload);
 * socket.broadcast().emit("joined", name);   // everyone but this socket
 * io.to("user:42").disconnectSockets(true);   // on whichever node they are
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("ping")
 *   .thenAccept(replies -> log.info("{} clients answered", replies.values().size()));
 * }</pre>
 */
public final class BroadcastOperator {

    /** How long fetchSockets waits for the other servers unless {@link #timeout} says otherwise (Node's too). */
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean local;
    private final Duration timeout;
    private final PacketFlags flags;

    BroadcastOperator(Namespace namespace) {
        this(namespace, Set.of(), Set.of(), false, null, PacketFlags.DEFAULT);
    }

    private BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except, boolean local,
                              Duration timeout, PacketFlags flags) {
        this.namespace = namespace;
        this.rooms = rooms;
        this.except = except;
        this.local = local;
        this.timeout = timeout;
        this.flags = flags;
    }

    /** Also targets sockets in this room (a socket's own id is a room too). */
    public BroadcastOperator to(String room) {
        return new BroadcastOperator(namespace, plus(rooms, room), except, local, timeout, flags);
    }

    /** The same as {@link #to}. */
    public BroadcastOperator in(String room) {
        return to(room);
    }

    /** Leaves out sockets in this room. */
    public BroadcastOperator except(String room) {
        return new BroadcastOperator(namespace, rooms, plus(except, room), local, timeout, flags);
    }

    /** Reaches only sockets connected to this node. */
    public BroadcastOperator local() {
        return new BroadcastOperator(namespace, rooms, except, true, timeout, flags);
    }

    /**
     * Drops the event for each client whose transport cannot take it right now (socket.io's
     * {@code volatile}): no poll held, or a websocket past its high-water mark.
     */
    public BroadcastOperator asVolatile() {
        return new BroadcastOperator(namespace, rooms, except, local, timeout, flags.asVolatile());
    }

    /** Whether the transports may compress the event (the default) or must not. */
    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(namespace, rooms, except, local, timeout, flags.withCompress(compress));
    }

    /** How long {@link #emitWithAck} waits for the clients' acks, and {@link #fetchSockets} for the other servers. */
    public BroadcastOperator timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new BroadcastOperator(namespace, rooms, except, local, timeout, flags);
    }

    public void emit(String event, Object... args) {
        namespace.adapter().broadcast(packet(event, args), options());
    }

    /**
     * Emits asking every targeted client, on every node, for an acknowledgement; completes
     * with the first argument of each ack once every client reached answered, or at the
     * {@link #timeout} with the acks that came ({@link Replies#complete()} false). Needs a
     * timeout, as in Node.
     */
    public CompletableFuture<Replies<JsonNode>> emitWithAck(String event, Object... args) {
        if (timeout == null) {
            throw new IllegalStateException("emitWithAck on a broadcast needs timeout(duration) first");
        }
        return namespace.adapter().broadcastWithAck(packet(event, args), options(), timeout).thenApply(Replies::of);
    }

    /**
     * The targeted sockets on every node. A server that does not answer within the timeout
     * (5 s unless {@link #timeout} is set) is left out rather than failing the call.
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return namespace.adapter().fetchSockets(options(), timeout == null ? DEFAULT_REQUEST_TIMEOUT : timeout)
                .thenApply(replies -> replies.values().stream().map(s -> new RemoteSocket(namespace, s)).toList());
    }

    /** The targeted sockets, on every node, join these rooms. */
    public void socketsJoin(String... rooms) {
        namespace.adapter().addSockets(options(), Set.of(rooms));
    }

    /** The targeted sockets, on every node, leave these rooms. */
    public void socketsLeave(String... rooms) {
        namespace.adapter().delSockets(options(), Set.of(rooms));
    }

    /** Disconnects the targeted sockets on every node; with {@code close}, their connections too. */
    public void disconnectSockets(boolean close) {
        namespace.adapter().disconnectSockets(options(), close);
    }

    private BroadcastPacket packet(String event, Object... args) {
        if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
        return new BroadcastPacket(namespace.name(), Json.event(event, args));
    }

    private BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, local, flags);
    }

    private static Set<String> plus(Set<String> set, String value) {
        Set<String> copy = new HashSet<>(set);
        copy.add(value);
        return Set.copyOf(copy);
    }
}
