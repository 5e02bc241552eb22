package io.socketfleet.node.socketio.parser;

import java.util.List;

/**
 * A Socket.IO packet as it goes on the wire: one text header, then one binary message per
 * attachment (socket.io-parser's encoder output). The Engine.IO layer sends each as a message.
 *
 * @param header      {@code <type>[<n>-][<nsp>,][<id>][<json>]}
 * @param attachments the binary values the header's placeholders stand for, in order
 */
public record EncodedPacket(String header, List<byte[]> attachments) {

    public EncodedPacket {
        attachments = List.copyOf(attachments);
    }
}
