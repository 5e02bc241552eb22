package io.socketfleet.node.adapter;

import java.util.Set;

/**
 * Whom a broadcast reaches: sockets in any of {@code rooms} (every socket when empty), minus
 * sockets in any of {@code except}; {@code local} keeps it on this node; {@code flags} say how
 * it is written to each of them.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean local, PacketFlags flags) {

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
        flags = flags == null ? PacketFlags.DEFAULT : flags;
    }

    public BroadcastOptions(Set<String> rooms, Set<String> except, boolean local) {
        this(rooms, except, local, PacketFlags.DEFAULT);
    }
}
