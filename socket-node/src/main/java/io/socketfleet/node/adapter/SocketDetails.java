package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.Set;

/**
 * A socket as {@code fetchSockets()} reports it across the fleet: its id, its handshake and
 * data as JSON (what socket.io's redis adapter sends between servers), and its rooms.
 */
public record SocketDetails(String id, JsonNode handshake, Set<String> rooms, JsonNode data) {

    public SocketDetails {
        Objects.requireNonNull(id, "id");
        rooms = Set.copyOf(rooms);
    }
}
