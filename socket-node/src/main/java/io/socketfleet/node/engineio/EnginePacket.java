package io.socketfleet.node.engineio;

import java.util.Objects;

/**
 * One Engine.IO packet. A packet carries either text (possibly empty) or, for binary
 * message packets, raw bytes — never both. {@code compress} says whether the transport may
 * compress it (HTTP compression of a polling response, permessage-deflate on a websocket);
 * true unless the application sent it with socket.io's {@code compress(false)}, as in engine.io.
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary, boolean compress) {

    public static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, "", null);
    public static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, "", null);
    public static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, "", null);

    /** A packet the transport may compress. */
    public EnginePacket(EnginePacketType type, String text, byte[] binary) {
        this(type, text, binary, true);
    }

    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if ((text == null) == (binary == null)) {
            throw new IllegalArgumentException("a packet carries text or binary, exactly one");
        }
        if (binary != null && type != EnginePacketType.MESSAGE) {
            throw new IllegalArgumentException("only message packets carry binary");
        }
    }

    public static EnginePacket message(String text) {
        return new EnginePacket(EnginePacketType.MESSAGE, text, null);
    }

    public static EnginePacket message(byte[] binary) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, binary);
    }

    /** The same packet, compressible or not. */
    public EnginePacket withCompress(boolean compress) {
        return compress == this.compress ? this : new EnginePacket(type, text, binary, compress);
    }

    public boolean isBinary() {
        return binary != null;
    }

    /** Bytes this packet occupies once encoded as UTF-8 (a websocket frame's payload); bounds send buffers. */
    public int encodedSize() {
        return binary != null ? binary.length : 1 + utf8Length(text);
    }

    /** UTF-8 length without encoding: a character outside ASCII takes 2-3 bytes, a surrogate pair 4. */
    static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x800) {
                // 3 bytes each; the two halves of a surrogate pair together make 4 (2 + 2).
                bytes += Character.isSurrogate(c) ? 1 : 2;
            } else if (c >= 0x80) {
                bytes += 1;
            }
        }
        return bytes;
    }

    /** The text form used on websocket text frames: the type digit then the data. */
    public String encodeText() {
        return type.digit() + text;
    }

    @Override
    public String toString() {
        return binary != null ? "binary(" + binary.length + ")" : type.digit() + text;
    }
}
