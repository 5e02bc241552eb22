package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.parser.Json;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdapterMessageCodecTest {

    @Test
    void roundTripsABroadcastWithBinary() throws Exception {
        BroadcastPacket packet = new BroadcastPacket("/chat",
                Json.event("news", Map.of("n", 1, "f", 1.5, "big", 1L << 40), new byte[] {1, 2}, List.of(true)));
        BroadcastOptions options = new BroadcastOptions(Set.of("r1"), Set.of("sock1"), false);

        AdapterMessageCodec.RemoteBroadcast decoded = AdapterMessageCodec.decode(AdapterMessageCodec.encode("uid1", packet, options));

        assertEquals("uid1", decoded.uid());
        assertEquals("/chat", decoded.packet().nsp());
        assertEquals(packet.data().get(1).toString(), decoded.packet().data().get(1).toString());
        assertArrayEquals(new byte[] {1, 2}, decoded.packet().data().get(2).binaryValue());
        assertEquals(Set.of("r1"), decoded.options().rooms());
        assertEquals(Set.of("sock1"), decoded.options().except());
    }

    @Test
    void readsTheShapeNodeAdaptersPublish() throws Exception {
        // [uid, {type: 2, data: ["ev", undefined-as-ext], nsp: "/"}, {rooms: [], except: [], flags: {}}]
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(3).packString("a1b2c3");
            p.packMapHeader(3).packString("type").packInt(2).packString("data").packArrayHeader(2).packString("ev")
                    .packExtensionTypeHeader((byte) 0, 1).addPayload(new byte[] {0}).packString("nsp").packString("/");
            p.packMapHeader(3).packString("rooms").packArrayHeader(0).packString("except").packArrayHeader(0)
                    .packString("flags").packMapHeader(0);
            AdapterMessageCodec.RemoteBroadcast decoded = AdapterMessageCodec.decode(p.toByteArray());
            assertEquals("[\"ev\",null]", decoded.packet().data().toString());
            assertEquals(Set.of(), decoded.options().rooms());
        }
    }

    @Test
    void rejectsWhatIsNotABroadcast() {
        assertThrows(IllegalArgumentException.class, () -> AdapterMessageCodec.decode(new byte[] {(byte) 0xc1}));
        assertThrows(IllegalArgumentException.class, () -> AdapterMessageCodec.decode(new byte[] {(byte) 0x90}));
    }

    @Test
    void carriesTheVolatileAndCompressFlagsAsNodeWritesThem() throws Exception {
        BroadcastPacket packet = new BroadcastPacket("/", Json.event("tick", 1));
        BroadcastOptions options = new BroadcastOptions(Set.of(), Set.of(), false, new PacketFlags(true, false));

        byte[] encoded = AdapterMessageCodec.encode("uid1", packet, options);

        assertEquals(new PacketFlags(true, false), AdapterMessageCodec.decode(encoded).options().flags());
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(encoded)) {
            JsonNode opts = Json.MAPPER.readTree(unpacker.unpackValue().toJson()).get(2);
            assertEquals("{\"volatile\":true,\"compress\":false}", opts.get("flags").toString(),
                    "opts.flags holds what the emit set, as Node's BroadcastOperator does");
        }
        assertEquals(PacketFlags.DEFAULT, AdapterMessageCodec.decode(AdapterMessageCodec.encode("uid1", packet,
                new BroadcastOptions(Set.of(), Set.of(), false))).options().flags(), "no flags: the defaults");
    }
}
