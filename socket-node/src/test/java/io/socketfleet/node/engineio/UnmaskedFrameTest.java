package io.socketfleet.node.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A packet's ready-made websocket frame, read back by Netty's client-side frame decoder (which
 * refuses masked server frames): every length form, text with multi-byte characters, binary.
 */
class UnmaskedFrameTest {

    private static EmbeddedChannel client() {
        return new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
    }

    @Test
    void textFramesOfEveryLengthFormDecodeToThePacketsText() {
        for (int length : new int[] {0, 1, 124, 125, 126, 65_534, 65_535, 65_536, 200_000}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            EnginePacket packet = EnginePacket.message(text);
            EmbeddedChannel client = client();
            client.writeInbound(Unpooled.wrappedBuffer(packet.websocketFrame()));
            TextWebSocketFrame frame = client.readInbound();
            assertEquals("4" + text, frame.text(), "length " + length);
            assertEquals(packet.encodedSize(), frame.content().readableBytes());
            frame.release();
        }
    }

    @Test
    void binaryFramesCarryTheBytes() {
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        EmbeddedChannel client = client();
        client.writeInbound(Unpooled.wrappedBuffer(EnginePacket.message(bytes).websocketFrame()));
        BinaryWebSocketFrame frame = client.readInbound();
        byte[] read = new byte[frame.content().readableBytes()];
        frame.content().readBytes(read);
        assertArrayEquals(bytes, read);
        frame.release();
    }

    @Test
    void aPacketIsFramedOnceForAllItsRecipients() {
        EnginePacket packet = EnginePacket.message("[\"msg\",1]");
        assertSame(packet.websocketFrame(), packet.websocketFrame());
    }

    @Test
    void aPrefixedTextFrameInADirectBuffer() {
        ByteBuf frame = UnmaskedFrame.text(ByteBufAllocator.DEFAULT, '4', "2[\"msg\",\"ü\"]");
        EmbeddedChannel client = client();
        client.writeInbound(frame);
        TextWebSocketFrame read = client.readInbound();
        assertEquals("42[\"msg\",\"ü\"]", read.text());
        assertEquals(StandardCharsets.UTF_8.encode("42[\"msg\",\"ü\"]").remaining(), read.content().readableBytes());
        read.release();
    }
}
