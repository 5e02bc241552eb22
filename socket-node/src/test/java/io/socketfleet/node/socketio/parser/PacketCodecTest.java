package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips through encoder and decoder, and a table of malformed input with the error each raises. */
class PacketCodecTest {

    private static SocketIoPacket decodeOne(String text) throws SocketIoProtocolException {
        return new PacketDecoder().decode(text).orElseThrow();
    }

    @Test
    void decodesTheShapesTheClientSends() throws Exception {
        SocketIoPacket connect = decodeOne("0/admin,{\"token\":\"t\"}");
        assertEquals(SocketIoPacketType.CONNECT, connect.type());
        assertEquals("/admin", connect.nsp());
        assertEquals("t", connect.data().get("token").asText());

        assertEquals("/custom", decodeOne("0/custom").nsp(), "namespace without a trailing comma");
        assertNull(decodeOne("0").data());

        SocketIoPacket event = decodeOne("2/chat,12[\"msg\",{\"a\":1}]");
        assertEquals("/chat", event.nsp());
        assertEquals(12, event.id());
        assertEquals("msg", event.eventName());

        SocketIoPacket numericName = decodeOne("2[42,\"x\"]");
        assertEquals(42, numericName.data().get(0).asInt());

        SocketIoPacket ack = decodeOne("37[]");
        assertEquals(SocketIoPacketType.ACK, ack.type());
        assertEquals(7, ack.id());

        assertEquals(SocketIoPacketType.DISCONNECT, decodeOne("1/chat,").type());
    }

    @Test
    void reassemblesBinaryAttachments() throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        assertTrue(decoder.decode("52-/b,3[\"up\",{\"_placeholder\":true,\"num\":1},{\"x\":{\"_placeholder\":true,\"num\":0}}]").isEmpty());
        assertTrue(decoder.decode(new byte[] {1}).isEmpty());
        Optional<SocketIoPacket> done = decoder.decode(new byte[] {2, 3});
        SocketIoPacket packet = done.orElseThrow();
        assertEquals(SocketIoPacketType.EVENT, packet.type());
        assertEquals(3, packet.id());
        assertArrayEquals(new byte[] {2, 3}, packet.data().get(1).binaryValue());
        assertArrayEquals(new byte[] {1}, packet.data().get(2).get("x").binaryValue());
    }

    @Test
    void encodesPlainAndBinaryPackets() {
        SocketIoPacket event = new SocketIoPacket(SocketIoPacketType.EVENT, "/", null, Json.event("hi", Map.of("n", 1)));
        assertEquals(new EncodedPacket("2[\"hi\",{\"n\":1}]", List.of()), PacketEncoder.encode(event));

        SocketIoPacket connect = new SocketIoPacket(SocketIoPacketType.CONNECT, "/chat", null,
                JsonNodeFactory.instance.objectNode().put("sid", "abc"));
        assertEquals(new EncodedPacket("0/chat,{\"sid\":\"abc\"}", List.of()), PacketEncoder.encode(connect));

        SocketIoPacket binaryAck = new SocketIoPacket(SocketIoPacketType.ACK, "/chat", 5L, Json.array("ok", new byte[] {9}));
        EncodedPacket encoded = PacketEncoder.encode(binaryAck);
        assertEquals("61-/chat,5[\"ok\",{\"_placeholder\":true,\"num\":0}]", encoded.header());
        assertEquals(1, encoded.attachments().size());
        assertArrayEquals(new byte[] {9}, encoded.attachments().get(0));
    }

    @Test
    void roundTripsThroughTheDecoder() throws Exception {
        SocketIoPacket original = new SocketIoPacket(SocketIoPacketType.EVENT, "/x", 77L,
                Json.event("data", new byte[] {1, 2}, Map.of("deep", List.of(new byte[] {3}))));
        EncodedPacket encoded = PacketEncoder.encode(original);
        PacketDecoder decoder = new PacketDecoder();
        assertTrue(decoder.decode(encoded.header()).isEmpty());
        assertTrue(decoder.decode(encoded.attachments().get(0)).isEmpty());
        SocketIoPacket decoded = decoder.decode(encoded.attachments().get(1)).orElseThrow();
        assertEquals(original, decoded);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                         | empty packet",
        "9                                          | unknown packet type",
        "x                                          | unknown packet type",
        "2not json                                  | invalid JSON payload",
        "2[\"ok\"]trailing                          | invalid JSON payload",
        "2{\"a\":1}                                 | EVENT payload must be a non-empty array",
        "2[]                                        | EVENT payload must be a non-empty array",
        "2                                          | EVENT payload must be a non-empty array",
        "2[null]                                    | event name must be a string or a number",
        "2[\"connect\"]                             | reserved event name",
        "2[\"newListener\"]                         | reserved event name",
        "0[1]                                       | CONNECT payload must be an object",
        "1{}                                        | DISCONNECT carries no payload",
        "4{\"message\":\"x\"}                       | a client may not send CONNECT_ERROR",
        "3[]                                        | ACK without an id",
        "31{}                                       | ACK payload must be an array",
        "5[\"x\"]                                   | illegal attachments",
        "5a-[\"x\"]                                 | illegal attachments",
        "511-[\"x\",{\"_placeholder\":true,\"num\":0}] | too many attachments",
        "50-[\"x\"]                                | illegal attachments",
        "60-1[\"x\"]                               | illegal attachments",
        "212345678901234567[\"x\"]                  | ack id too long",
        "29007199254740993[\"x\"]                   | ack id out of range",
    })
    void rejectsMalformedPackets(String packet, String error) {
        SocketIoProtocolException e = assertThrows(SocketIoProtocolException.class, () -> new PacketDecoder().decode(packet));
        assertTrue(e.getMessage().startsWith(error), e.getMessage());
    }

    @Test
    void takesAckIdsUpToTwoToThe53() throws Exception {
        // socket.io-client numbers its acks from 0 upwards as JavaScript numbers, exact up to 2^53.
        assertEquals(9_007_199_254_740_992L, new PacketDecoder().decode("29007199254740992[\"x\"]").orElseThrow().id());
        assertEquals(2_147_483_648L, new PacketDecoder().decode("32147483648[]").orElseThrow().id());
    }

    @Test
    void onlyTheBooleanTrueMarksAPlaceholder() throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        decoder.decode("51-[\"x\",{\"_placeholder\":\"true\",\"num\":0},{\"_placeholder\":true,\"num\":0}]");
        SocketIoPacket packet = decoder.decode(new byte[] {5}).orElseThrow();
        assertEquals("{\"_placeholder\":\"true\",\"num\":0}", packet.data().get(1).toString(),
                "a string \"true\" is data, not an attachment");
        assertArrayEquals(new byte[] {5}, packet.data().get(2).binaryValue());
    }

    @Test
    void rejectsBadAttachmentSequences() throws Exception {
        PacketDecoder decoder = new PacketDecoder();
        assertThrows(SocketIoProtocolException.class, () -> decoder.decode(new byte[] {1}), "binary with nothing pending");

        PacketDecoder waiting = new PacketDecoder();
        waiting.decode("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        assertThrows(SocketIoProtocolException.class, () -> waiting.decode("2[\"y\"]"), "text while reconstructing");

        PacketDecoder badIndex = new PacketDecoder();
        badIndex.decode("51-[\"x\",{\"_placeholder\":true,\"num\":4}]");
        assertThrows(SocketIoProtocolException.class, () -> badIndex.decode(new byte[] {1}), "placeholder out of range");
    }
}
