package io.socketfleet.node.engineio;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Encodes and decodes Engine.IO v4 packets and HTTP long-polling payloads. */
public final class EnginePacketCodec {

    /** Separates packets in a polling payload (ASCII record separator). */
    public static final char RECORD_SEPARATOR = '\u001e';

    private EnginePacketCodec() {
    }

    /** Decodes a websocket text frame or one text record of a polling payload. */
    public static EnginePacket decodeText(String frame) throws EngineProtocolException {
        if (frame.isEmpty()) {
            throw new EngineProtocolException("empty packet");
        }
        EnginePacketType type = EnginePacketType.fromDigit(frame.charAt(0));
        return new EnginePacket(type, frame.substring(1), null);
    }

    /** Decodes a polling request body: records joined by \x1e, binary as "b" + base64. */
    public static List<EnginePacket> decodePayload(String payload) throws EngineProtocolException {
        List<EnginePacket> packets = new ArrayList<>();
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(RECORD_SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            String record = payload.substring(start, end);
            packets.add(decodeRecord(record));
            start = end + 1;
        }
        return packets;
    }

    private static EnginePacket decodeRecord(String record) throws EngineProtocolException {
        if (record.startsWith("b")) {
            try {
                return EnginePacket.message(Base64.getDecoder().decode(record.substring(1)));
            } catch (IllegalArgumentException e) {
                throw new EngineProtocolException("invalid base64 in binary packet");
            }
        }
        return decodeText(record);
    }

    /** Encodes packets as one polling response body. */
    public static String encodePayload(List<EnginePacket> packets) {
        StringBuilder body = new StringBuilder();
        for (EnginePacket packet : packets) {
            if (body.length() > 0) {
                body.append(RECORD_SEPARATOR);
            }
            if (packet.isBinary()) {
                body.append('b').append(Base64.getEncoder().encodeToString(packet.binary()));
            } else {
                body.append(packet.encodeText());
            }
        }
        return body.toString();
    }
}
