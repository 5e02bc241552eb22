package io.socketfleet.node.adapter;

import io.socketfleet.node.engineio.EnginePacket;

import java.util.List;

/** How an adapter hands already-encoded packets to a socket of this node. */
@FunctionalInterface
public interface LocalSockets {

    /** Sends the packets to the socket with this id, if it is still connected here. */
    void deliver(String socketId, List<EnginePacket> packets);
}
