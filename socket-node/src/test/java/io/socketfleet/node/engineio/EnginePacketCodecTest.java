package io.socketfleet.node.engineio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnginePacketCodecTest {

    @Test
    void decodesEachPacketType() throws Exception {
        assertEquals(EnginePacketType.OPEN, EnginePacketCodec.decodeText("0{}").type());
        assertEquals(EnginePacketType.PING, EnginePacketCodec.decodeText("2probe").type());
        assertEquals("probe", EnginePacketCodec.decodeText("3probe").text());
        assertEquals("hello", EnginePacketCodec.decodeText("4hello").text());
        assertEquals(EnginePacketType.NOOP, EnginePacketCodec.decodeText("6").type());
    }

    @Test
    void payloadRoundTripWithRecordSeparatorAndBase64Binary() throws Exception {
        List<EnginePacket> packets = List.of(EnginePacket.message("451-[\"e\",{\"_placeholder\":true,\"num\":0}]"),
                EnginePacket.message(new byte[] {0, 1, (byte) 255}), EnginePacket.PING, EnginePacket.message("42[\"é\"]"));
        String payload = EnginePacketCodec.encodePayload(packets);

        assertEquals("4451-[\"e\",{\"_placeholder\":true,\"num\":0}]\u001ebAAH/\u001e2\u001e442[\"é\"]", payload);
        List<EnginePacket> decoded = EnginePacketCodec.decodePayload(payload);
        assertEquals(4, decoded.size());
        assertArrayEquals(new byte[] {0, 1, (byte) 255}, decoded.get(1).binary());
        assertEquals("42[\"é\"]", decoded.get(3).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "x", "4a\u001e", "bnot base64!", "\u001e"})
    void rejectsMalformedPayloads(String payload) {
        assertThrows(EngineProtocolException.class, () -> EnginePacketCodec.decodePayload(payload));
    }
}
