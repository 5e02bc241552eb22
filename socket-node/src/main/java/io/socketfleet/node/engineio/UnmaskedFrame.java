package io.socketfleet.node.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * A whole server-to-client websocket frame (FIN, one opcode, unmasked, no extension) as bytes.
 * Server frames carry no mask, so one encoding fits every recipient: a broadcast is framed once
 * and each channel gets the same bytes, which Netty's frame encoder lets through untouched.
 */
public final class UnmaskedFrame {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;

    private UnmaskedFrame() {
    }

    /** A frame with this opcode carrying this payload. */
    static byte[] frame(int opcode, byte[] payload) {
        byte[] frame = new byte[headerSize(payload.length) + payload.length];
        ByteBuf out = Unpooled.wrappedBuffer(frame).writerIndex(0);
        writeHeader(out, opcode, payload.length);
        out.writeBytes(payload);
        return frame;
    }

    /** A text frame whose payload is {@code prefix} followed by {@code text} in UTF-8, in a direct buffer. */
    public static ByteBuf text(ByteBufAllocator alloc, char prefix, String text) {
        int length = 1 + ByteBufUtil.utf8Bytes(text);
        ByteBuf frame = alloc.directBuffer(headerSize(length) + length);
        writeText(frame, prefix, text, length);
        return frame;
    }

    /** Writes a text frame of {@code prefix} and {@code text}, whose UTF-8 payload is {@code length} bytes. */
    static void writeText(ByteBuf out, char prefix, String text, int length) {
        writeHeader(out, TEXT, length);
        out.writeByte(prefix);
        ByteBufUtil.writeUtf8(out, text);
    }

    /** Writes a binary frame carrying these bytes. */
    static void writeBinary(ByteBuf out, byte[] payload) {
        writeHeader(out, BINARY, payload.length);
        out.writeBytes(payload);
    }

    private static void writeHeader(ByteBuf out, int opcode, int length) {
        out.writeByte(0x80 | opcode);
        if (length < 126) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(length);
        } else {
            out.writeByte(127);
            out.writeLong(length);
        }
    }

    static int headerSize(int length) {
        return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    }
}
