package io.socketfleet.node.engineio;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One Engine.IO packet. A packet carries either text (possibly empty) or, for binary
 * message packets, raw bytes — never both. {@code compress} says whether the transport may
 * compress it (HTTP compression of a polling response, permessage-deflate on a websocket);
 * true unless the application sent it with socket.io's {@code compress(false)}, as in engine.io.
 * Immutable; a broadcast hands the same instance to every recipient, so it also keeps its
 * websocket frame once built (see {@link #websocketFrame()}).
 */
public final class EnginePacket {

    public static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, "", null);
    public static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, "", null);
    public static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, "", null);

    private final EnginePacketType type;
    private final String text;
    private final byte[] binary;
    private final boolean compress;
    /** The whole websocket frame, built once for a packet going to many and shared by them. */
    private volatile byte[] websocketFrame;
    private int encodedSize;

    /** A packet the transport may compress. */
    public EnginePacket(EnginePacketType type, String text, byte[] binary) {
        this(type, text, binary, true);
    }

    public EnginePacket(EnginePacketType type, String text, byte[] binary, boolean compress) {
        Objects.requireNonNull(type, "type");
        if ((text == null) == (binary == null)) {
            throw new IllegalArgumentException("a packet carries text or binary, exactly one");
        }
        if (binary != null && type != EnginePacketType.MESSAGE) {
            throw new IllegalArgumentException("only message packets carry binary");
        }
        this.type = type;
        this.text = text;
        this.binary = binary;
        this.compress = compress;
    }

    public EnginePacketType type() {
        return type;
    }

    public String text() {
        return text;
    }

    public byte[] binary() {
        return binary;
    }

    public boolean compress() {
        return compress;
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
        int size = encodedSize;
        if (size == 0) {
            // Racy single-check as String.hashCode: every thread computes the same int.
            size = binary != null ? binary.length : 1 + utf8Length(text);
            encodedSize = size;
        }
        return size;
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

    /**
     * This packet as one unmasked websocket frame (a text frame of {@link #encodeText()}, or a binary
     * frame), built once and then kept: a broadcast's recipients all write the same bytes.
     */
    public byte[] websocketFrame() {
        byte[] frame = websocketFrame;
        if (frame == null) {
            frame = UnmaskedFrame.frame(binary != null ? UnmaskedFrame.BINARY : UnmaskedFrame.TEXT,
                    binary != null ? binary : encodeText().getBytes(StandardCharsets.UTF_8));
            websocketFrame = frame;
        }
        return frame;
    }

    /** The frame if {@link #websocketFrame()} built it already (for a packet going to many). */
    byte[] builtWebsocketFrame() {
        return websocketFrame;
    }

    @Override
    public boolean equals(Object o) {
        // As the record this was: the binary by identity.
        return o instanceof EnginePacket other && type == other.type && Objects.equals(text, other.text)
                && binary == other.binary && compress == other.compress;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text, System.identityHashCode(binary), compress);
    }

    @Override
    public String toString() {
        return binary != null ? "binary(" + binary.length + ")" : type.digit() + text;
    }
}
