package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One Socket.IO packet, with binary attachments already put back in place
 * (as {@link com.fasterxml.jackson.databind.node.BinaryNode}s inside {@code data}).
 *
 * @param type the packet type; EVENT and ACK also stand for their binary forms
 * @param nsp  namespace, "/" for the main one
 * @param id   acknowledgement id (up to 2^53, as JavaScript numbers allow), or null
 * @param data JSON payload, or null when absent
 */
public record SocketIoPacket(SocketIoPacketType type, String nsp, Long id, JsonNode data) {

    public SocketIoPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nsp, "nsp");
    }

    /** Event name of an EVENT packet. */
    public String eventName() {
        return data.get(0).asText();
    }
}
