package io.socketfleet.node.socketio.parser;

import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.engineio.EnginePacketCodec;
import io.socketfleet.node.engineio.EngineProtocolException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random and mutated Engine.IO packets, polling bodies and Socket.IO packets (with attachment
 * sequences) at the decoders: each is decoded or refused with the protocol's own exception,
 * nothing else is ever thrown, and whatever decodes survives a round trip through the encoder.
 */
class PacketDecoderFuzzTest {

    /** Packets as clients send them, the seeds the mutations start from. */
    static final List<String> SEEDS = List.of("40", "40/chat,", "40{\"token\":\"x\"}", "41", "41/chat,",
            "42[\"echo\",1,\"two\",{\"three\":[3]}]", "421[\"echo\",\"x\"]", "42/chat,7[\"say\",null]",
            "43[]", "4312[\"ok\",true]", "451-[\"up\",{\"_placeholder\":true,\"num\":0}]",
            "462-/chat,9[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]",
            "450-[\"x\"]", "429007199254740992[\"big\"]", "42[\"connect\"]", "44{\"message\":\"x\"}");

    @Property
    void engineTextPacketsDecodeOrAreRefused(@ForAll("engineTexts") String text) {
        try {
            EnginePacket packet = EnginePacketCodec.decodeText(text);
            assertEquals(text, packet.encodeText(), "a decoded packet encodes back to the same text");
        } catch (EngineProtocolException refused) {
            // refused as the protocol says: fine
        }
    }

    @Property
    void pollingBodiesDecodeOrAreRefused(@ForAll("pollingBodies") String body) {
        try {
            String encoded = EnginePacketCodec.encodePayload(EnginePacketCodec.decodePayload(body));
            assertEquals(encoded, EnginePacketCodec.encodePayload(decodeAgain(encoded)), "payloads round-trip");
        } catch (EngineProtocolException refused) {
            // refused as the protocol says
        }
    }

    @Property
    void socketIoPacketsDecodeOrAreRefused(@ForAll("socketIoTexts") String text,
                                           @ForAll("attachments") List<byte[]> attachments) {
        PacketDecoder decoder = new PacketDecoder();
        try {
            Optional<SocketIoPacket> packet = decoder.decode(text);
            for (byte[] attachment : attachments) {
                if (packet.isPresent()) {
                    break;
                }
                packet = decoder.decode(attachment);
            }
            if (packet.isPresent()) {
                roundTrips(packet.get());
            }
        } catch (SocketIoProtocolException refused) {
            // refused as the protocol says
        }
    }

    private static void roundTrips(SocketIoPacket packet) throws SocketIoProtocolException {
        EncodedPacket encoded = PacketEncoder.encode(packet);
        PacketDecoder again = new PacketDecoder(Integer.MAX_VALUE);
        Optional<SocketIoPacket> decoded = again.decode(encoded.header());
        for (byte[] attachment : encoded.attachments()) {
            decoded = again.decode(attachment);
        }
        assertEquals(Optional.of(packet), decoded, "a decoded packet survives the encoder");
    }

    private static List<EnginePacket> decodeAgain(String payload) {
        try {
            return EnginePacketCodec.decodePayload(payload);
        } catch (EngineProtocolException e) {
            throw new AssertionError("the encoder wrote what the decoder refuses: " + payload, e);
        }
    }

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> socketIoTexts() {
        return Arbitraries.oneOf(Arbitraries.of(SEEDS), mutated(Arbitraries.of(SEEDS)), Arbitraries.strings().ofMaxLength(60),
                nested());
    }

    @Provide
    Arbitrary<String> engineTexts() {
        Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789").ofLength(1);
        return Arbitraries.oneOf(digits.map(d -> d + "probe"), digits.flatMap(d -> socketIoTexts().map(t -> d + t)),
                Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> pollingBodies() {
        Arbitrary<String> record = Arbitraries.oneOf(engineTexts(), Arbitraries.of("bAQID", "b", "b!!", "b4AQID", "bAA=="));
        return record.list().ofMinSize(1).ofMaxSize(6).map(records -> String.join("\u001e", records));
    }

    @Provide
    Arbitrary<List<byte[]>> attachments() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(16).list().ofMaxSize(12);
    }

    /** Deep nesting and long numbers: what might exhaust a recursive decoder. */
    private Arbitrary<String> nested() {
        return Arbitraries.integers().between(1, 3000).map(depth ->
                "42[\"x\"," + "[".repeat(depth) + "]".repeat(depth) + "]");
    }

    /** A seed with a few characters inserted, deleted or replaced. */
    private static Arbitrary<String> mutated(Arbitrary<String> seeds) {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers().between(0, 60)
                .flatMap(at -> Arbitraries.chars().ascii().map(c -> new int[] {kind, at, c})));
        return seeds.flatMap(seed -> edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            StringBuilder text = new StringBuilder(seed);
            for (int[] e : edits) {
                int at = text.length() == 0 ? 0 : e[1] % (text.length() + (e[0] == 0 ? 1 : 0));
                switch (e[0]) {
                    case 0 -> text.insert(Math.min(at, text.length()), (char) e[2]);
                    case 1 -> {
                        if (text.length() > 0) {
                            text.deleteCharAt(Math.min(at, text.length() - 1));
                        }
                    }
                    default -> {
                        if (text.length() > 0) {
                            text.setCharAt(Math.min(at, text.length() - 1), (char) e[2]);
                        }
                    }
                }
            }
            return text.toString();
        }));
    }
}
