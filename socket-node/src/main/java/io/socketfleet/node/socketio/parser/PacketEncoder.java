package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a Socket.IO packet: the text header {@code <type>[<n>-][<nsp>,][<id>][<json>]}
 * and the binary attachments its placeholders stand for.
 */
public final class PacketEncoder {

    private PacketEncoder() {
    }

    public static EncodedPacket encode(SocketIoPacket packet) {
        List<byte[]> attachments = new ArrayList<>();
        JsonNode data = packet.data() == null || !hasBinary(packet.data()) ? packet.data()
                : deconstruct(packet.data(), attachments);
        SocketIoPacketType type = packet.type();
        if (!attachments.isEmpty()) {
            type = type == SocketIoPacketType.ACK ? SocketIoPacketType.BINARY_ACK
                    : type == SocketIoPacketType.EVENT ? SocketIoPacketType.BINARY_EVENT : type;
        }
        StringBuilder text = new StringBuilder().append(type.digit());
        if (type.isBinary()) {
            text.append(attachments.size()).append('-');
        }
        if (!"/".equals(packet.nsp())) {
            text.append(packet.nsp()).append(',');
        }
        if (packet.id() != null) {
            text.append(packet.id());
        }
        if (data != null) {
            try {
                text.append(Json.TREE_WRITER.writeValueAsString(data));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new EncodedPacket(text.toString(), attachments);
    }

    static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasBinary(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces binary values with {"_placeholder":true,"num":n}, collecting the bytes. */
    private static JsonNode deconstruct(JsonNode data, List<byte[]> attachments) {
        return JsonTrees.copy(data, node -> {
            if (!node.isBinary()) {
                return null;
            }
            ObjectNode placeholder = JsonNodeFactory.instance.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", attachments.size());
            try {
                attachments.add(node.binaryValue());
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            return placeholder;
        });
    }
}
