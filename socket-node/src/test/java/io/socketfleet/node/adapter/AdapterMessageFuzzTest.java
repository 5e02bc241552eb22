package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated Redis adapter messages thrown at the decoder: it either decodes a message
 * or refuses it with IllegalArgumentException — never another exception, never an Error — and
 * never allocates much more than the message's own size.
 */
class AdapterMessageFuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property
    void randomBytesDecodeOrAreRefused(@ForAll @Size(max = 4096) byte[] message) {
        decodeOrRefuse(message);
    }

    @Property
    void mutatedBroadcastsDecodeOrAreRefused(@ForAll("broadcasts") byte[] valid, @ForAll("mutations") List<Mutation> mutations) {
        byte[] message = valid;
        for (Mutation mutation : mutations) {
            message = mutation.apply(message);
        }
        decodeOrRefuse(message);
    }

    @Property
    void broadcastsRoundTrip(@ForAll("payloads") ArrayNode data, @ForAll("names") Set<String> rooms) {
        BroadcastPacket packet = new BroadcastPacket("/fuzz", data);
        byte[] encoded = AdapterMessageCodec.encode("uid", packet, new BroadcastOptions(rooms, Set.of(), false));
        AdapterMessageCodec.RemoteBroadcast decoded = AdapterMessageCodec.decode(encoded);
        assertEquals(data, decoded.packet().data());
        assertEquals(rooms, decoded.options().rooms());
    }

    @Property(tries = 50)
    void nestingIsBoundedWithoutOverflowingTheStack(@ForAll @IntRange(min = 1, max = 300_000) int depth) {
        byte[] message = new byte[depth + 1];
        Arrays.fill(message, (byte) 0x91); // an array holding one element, nested depth times
        message[depth] = (byte) 0xc0;
        if (depth > BoundedMsgpack.MAX_DEPTH) {
            assertThrows(IllegalArgumentException.class, () -> AdapterMessageCodec.decode(message));
        } else {
            decodeOrRefuse(message); // nested arrays are no broadcast, but they must decode without harm
        }
    }

    @Property
    void headersClaimingMoreThanTheMessageHoldsAreRefused(@ForAll("lyingHeaders") byte[] header,
                                                          @ForAll @Size(max = 64) byte[] tail) {
        byte[] message = concat(header, tail);
        assertThrows(IllegalArgumentException.class, () -> AdapterMessageCodec.decode(message));
    }

    /** Decodes, allowing only a refusal, and checks the work stayed in proportion to the message. */
    private static void decodeOrRefuse(byte[] message) {
        tryDecode(message); // once to load whatever classes this path needs, then measured
        long before = THREADS.getCurrentThreadAllocatedBytes();
        tryDecode(message);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 256L * message.length + 1024 * 1024,
                "decoding " + message.length + " bytes allocated " + allocated + " bytes");
    }

    private static void tryDecode(byte[] message) {
        try {
            AdapterMessageCodec.decode(message);
        } catch (IllegalArgumentException refused) {
            // the only acceptable failure
        }
    }

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> broadcasts() {
        return Combinators.combine(payloads(), names(), names(), Arbitraries.strings().ofMaxLength(20))
                .as((data, rooms, except, nsp) -> AdapterMessageCodec.encode("uid",
                        new BroadcastPacket("/" + nsp, data), new BroadcastOptions(rooms, except, false)));
    }

    @Provide
    Arbitrary<Set<String>> names() {
        return Arbitraries.strings().ofMaxLength(12).set().ofMaxSize(4);
    }

    @Provide
    Arbitrary<ArrayNode> payloads() {
        return json(3).list().ofMaxSize(5).map(args -> {
            ArrayNode data = NODES.arrayNode().add("event");
            args.forEach(data::add);
            return data;
        });
    }

    /** JSON values with binary leaves, nested up to {@code depth}. */
    private static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(NODES::binaryNode));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = json(depth - 1).list().ofMaxSize(4).map(items -> {
            ArrayNode node = NODES.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), json(depth - 1))
                .ofMaxSize(4).map(fields -> {
                    ObjectNode node = NODES.objectNode();
                    fields.forEach(node::set);
                    return node;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, object));
    }

    @Provide
    Arbitrary<byte[]> lyingHeaders() {
        // array32, map32, str32, bin32 and ext32 headers, each claiming up to 2^31-1 elements or bytes
        return Combinators.combine(Arbitraries.of((byte) 0xdd, (byte) 0xdf, (byte) 0xdb, (byte) 0xc6, (byte) 0xc9),
                        Arbitraries.integers().between(100, Integer.MAX_VALUE))
                .as((type, size) -> {
                    byte[] header = {type, (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) (int) size};
                    return type == (byte) 0xc9 ? concat(header, new byte[] {1}) : header;
                });
    }

    /** One change to a message's bytes. */
    interface Mutation {
        byte[] apply(byte[] message);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> flip = Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes())
                .as((at, value) -> message -> {
                    if (message.length == 0) {
                        return message;
                    }
                    byte[] copy = message.clone();
                    copy[at % copy.length] = value;
                    return copy;
                });
        Arbitrary<Mutation> truncate = Arbitraries.integers().greaterOrEqual(0)
                .map(at -> message -> Arrays.copyOf(message, message.length == 0 ? 0 : at % message.length));
        Arbitrary<Mutation> insert = Combinators.combine(Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as((at, bytes) -> message -> {
                    int where = message.length == 0 ? 0 : at % message.length;
                    return concat(concat(Arrays.copyOf(message, where), bytes), Arrays.copyOfRange(message, where, message.length));
                });
        return Arbitraries.oneOf(flip, truncate, insert).list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    @Property(tries = 10)
    void binaryLeavesSurviveTheRoundTrip(@ForAll @Size(max = 64) byte[] bytes) throws Exception {
        ArrayNode data = NODES.arrayNode().add("bin").add(NODES.binaryNode(bytes));
        byte[] encoded = AdapterMessageCodec.encode("u", new BroadcastPacket("/", data), new BroadcastOptions(Set.of(), Set.of(), false));
        assertArrayEquals(bytes, AdapterMessageCodec.decode(encoded).packet().data().get(1).binaryValue());
    }
}
