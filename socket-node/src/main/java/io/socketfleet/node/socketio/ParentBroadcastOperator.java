package io.socketfleet.node.socketio;

import java.util.function.UnaryOperator;

/**
 * A broadcast from a dynamic namespace's parent (socket.io's {@code parentNamespace.to(room).emit(…)}):
 * the same rooms, exceptions and flags applied in each child namespace made on this node so far,
 * each child's broadcast reaching the fleet as its own does. As in socket.io, a parent can only
 * emit: its children differ from node to node, so there is nothing to ask the fleet about.
 * <pre>{@code
 * ParentNamespace rooms = io.of(Pattern.compile("^/room-\\d+$"));
 * rooms.to("moderators").except("muted").emit("notice", text);
 * }</pre>
 */
public final class ParentBroadcastOperator {

    private final ParentNamespace parent;
    /** What this operator does to each child's own broadcast operator. */
    private final UnaryOperator<BroadcastOperator> selection;

    ParentBroadcastOperator(ParentNamespace parent, UnaryOperator<BroadcastOperator> selection) {
        this.parent = parent;
        this.selection = selection;
    }

    /** Also targets sockets in this room, in every child. */
    public ParentBroadcastOperator to(String room) {
        return then(op -> op.to(room));
    }

    /** The same as {@link #to}. */
    public ParentBroadcastOperator in(String room) {
        return to(room);
    }

    /** Leaves out sockets in this room, in every child. */
    public ParentBroadcastOperator except(String room) {
        return then(op -> op.except(room));
    }

    /** Reaches only sockets connected to this node. */
    public ParentBroadcastOperator local() {
        return then(BroadcastOperator::local);
    }

    /** See {@link BroadcastOperator#asVolatile()}. */
    public ParentBroadcastOperator asVolatile() {
        return then(BroadcastOperator::asVolatile);
    }

    /** See {@link BroadcastOperator#compress(boolean)}. */
    public ParentBroadcastOperator compress(boolean compress) {
        return then(op -> op.compress(compress));
    }

    /** Emits in every child namespace of the parent to the sockets selected. */
    public void emit(String event, Object... args) {
        parent.children().forEach(child -> selection.apply(new BroadcastOperator(child)).emit(event, args));
    }

    private ParentBroadcastOperator then(UnaryOperator<BroadcastOperator> next) {
        return new ParentBroadcastOperator(parent, op -> next.apply(selection.apply(op)));
    }
}
