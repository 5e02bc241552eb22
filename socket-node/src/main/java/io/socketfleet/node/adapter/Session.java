package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * What connection state recovery keeps of a socket (socket.io's {@code SessionToPersist}): its
 * id, the private id the client proves it owns the session with, its rooms (its own id among
 * them) and the application's {@code socket.data}.
 */
public record Session(String sid, String pid, List<String> rooms, JsonNode data) {

    public Session {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(data, "data");
    }

    /**
     * socket.io-adapter's {@code shouldIncludePacket}: a broadcast reaches the session when it
     * targets everyone or one of its rooms, and excludes none of them.
     */
    public boolean reachedBy(BroadcastOptions options) {
        boolean included = options.rooms().isEmpty() || rooms.stream().anyMatch(options.rooms()::contains);
        return included && rooms.stream().noneMatch(options.except()::contains);
    }
}
