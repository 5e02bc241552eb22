package io.socketfleet.node.adapter;

import java.util.Set;

/**
 * Whom a broadcast reaches: sockets in any of {@code rooms} (every socket when empty), minus
 * sockets in any of {@code except}; {@code local} keeps it on this node.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean local) {

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
    }
}
