package io.socketfleet.node.adapter;

import java.util.Set;

/**
 * The adapter's delivery hook, handed to it by its namespace (as socket.io-adapter is handed
 * the server's encoder and {@code client.writeToEngine}): encodes the packet once and writes
 * it to each of these sockets that is still connected to this node.
 */
@FunctionalInterface
public interface LocalSockets {

    void deliver(BroadcastPacket packet, Set<String> socketIds);
}
