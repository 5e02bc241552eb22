package io.socketfleet.node.socketio;

import io.socketfleet.node.adapter.BroadcastOptions;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;

import java.util.HashSet;
import java.util.Set;

/**
 * An immutable description of whom to emit to; each method returns a new operator.
 * <pre>{@code
 * io.to("room1").except("room2").emit("news", payload);
 * socket.broadcast().emit("joined", name);   // everyone but this socket
 * }</pre>
 */
public final class BroadcastOperator {

    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean local;

    BroadcastOperator(Namespace namespace) {
        this(namespace, Set.of(), Set.of(), false);
    }

    private BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except, boolean local) {
        this.namespace = namespace;
        this.rooms = rooms;
        this.except = except;
        this.local = local;
    }

    /** Also targets sockets in this room (a socket's own id is a room too). */
    public BroadcastOperator to(String room) {
        return new BroadcastOperator(namespace, plus(rooms, room), except, local);
    }

    /** Leaves out sockets in this room. */
    public BroadcastOperator except(String room) {
        return new BroadcastOperator(namespace, rooms, plus(except, room), local);
    }

    /** Reaches only sockets connected to this node. */
    public BroadcastOperator local() {
        return new BroadcastOperator(namespace, rooms, except, true);
    }

    public void emit(String event, Object... args) {
        if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
        BroadcastPacket packet = new BroadcastPacket(namespace.name(), Json.event(event, args));
        namespace.adapter().broadcast(packet, new BroadcastOptions(rooms, except, local));
    }

    private static Set<String> plus(Set<String> set, String value) {
        Set<String> copy = new HashSet<>(set);
        copy.add(value);
        return Set.copyOf(copy);
    }
}
