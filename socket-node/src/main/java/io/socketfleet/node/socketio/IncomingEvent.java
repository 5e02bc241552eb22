package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * An event a client sent, on its way through a socket's packet middleware to the event handlers
 * (socket.io's {@code [event, ...args]} array). Middleware may change the arguments in place;
 * the handlers get them as left.
 */
public final class IncomingEvent {

    private final String name;
    private final List<JsonNode> args;
    private final Ack ack;

    IncomingEvent(String name, List<JsonNode> args, Ack ack) {
        this.name = name;
        this.args = args;
        this.ack = ack;
    }

    public String name() {
        return name;
    }

    /** The event's arguments, modifiable. */
    public List<JsonNode> args() {
        return args;
    }

    /** The client's acknowledgement callback ({@link Ack#requested()} false when it asked for none). */
    public Ack ack() {
        return ack;
    }

    @Override
    public String toString() {
        return name + args;
    }
}
