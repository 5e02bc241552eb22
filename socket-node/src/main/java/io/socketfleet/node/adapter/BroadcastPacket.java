package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.Objects;

/**
 * An event to broadcast: the namespace and the event's data array {@code [name, args…]},
 * binary values inside as {@link com.fasterxml.jackson.databind.node.BinaryNode}s. The
 * adapter carries it as it is; encoding for the sockets is the namespace's business.
 *
 * <p>With connection state recovery a stored broadcast has an {@code offset}, also appended as
 * the last element of {@code data}: socket.io-client keeps the last string argument of every
 * event as the offset it hands back when it reconnects.
 */
public record BroadcastPacket(String nsp, JsonNode data, String offset) {

    public BroadcastPacket {
        Objects.requireNonNull(nsp, "nsp");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new IllegalArgumentException("event data must be a non-empty array");
        }
    }

    public BroadcastPacket(String nsp, JsonNode data) {
        this(nsp, data, null);
    }

    /** This packet as stored at {@code offset}: the offset appended to a copy of the data. */
    public BroadcastPacket withOffset(String offset) {
        ArrayNode stamped = ((ArrayNode) data).deepCopy();
        stamped.add(offset);
        return new BroadcastPacket(nsp, stamped, offset);
    }
}
