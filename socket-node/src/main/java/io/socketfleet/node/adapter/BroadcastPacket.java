package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * An event to broadcast: the namespace and the event's data array {@code [name, args…]},
 * binary values inside as {@link com.fasterxml.jackson.databind.node.BinaryNode}s. The
 * adapter carries it as it is; encoding for the sockets is the namespace's business.
 */
public record BroadcastPacket(String nsp, JsonNode data) {

    public BroadcastPacket {
        Objects.requireNonNull(nsp, "nsp");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new IllegalArgumentException("event data must be a non-empty array");
        }
    }
}
