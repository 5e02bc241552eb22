package io.socketfleet.node.adapter;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Reads one msgpack value into a JSON tree, bounded so that no message can cost more than its
 * own size: nesting is limited (a 200,000-deep array would otherwise overflow the stack), and
 * no length or count is believed beyond the bytes the message still holds (a five-byte
 * header claiming two billion elements would otherwise allocate them).
 */
final class BoundedMsgpack {

    /** The nesting Jackson allows a client's JSON by default, so whatever a node accepts it can relay. */
    static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BoundedMsgpack() {
    }

    /** Reads the next value of a message {@code length} bytes long; IllegalArgumentException when it breaks a bound. */
    static JsonNode read(MessageUnpacker in, long length) throws IOException {
        return read(in, length, 0);
    }

    private static JsonNode read(MessageUnpacker in, long length, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
        }
        MessageFormat format = in.getNextFormat();
        return switch (format.getValueType()) {
            case NIL -> {
                in.unpackNil();
                yield NODES.nullNode();
            }
            case BOOLEAN -> NODES.booleanNode(in.unpackBoolean());
            case INTEGER -> {
                if (format == MessageFormat.UINT64) {
                    BigInteger value = in.unpackBigInteger();
                    yield value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
                }
                yield NODES.numberNode(in.unpackLong());
            }
            case FLOAT -> NODES.numberNode(in.unpackDouble());
            case STRING -> NODES.textNode(new String(payload(in, in.unpackRawStringHeader(), length), StandardCharsets.UTF_8));
            case BINARY -> NODES.binaryNode(payload(in, in.unpackBinaryHeader(), length));
            case EXTENSION -> {
                // notepack's undefined is an extension; any extension reads as null
                ExtensionTypeHeader header = in.unpackExtensionTypeHeader();
                payload(in, header.getLength(), length);
                yield NODES.nullNode();
            }
            case ARRAY -> {
                int size = in.unpackArrayHeader();
                within(size, in, length); // every element takes at least one byte
                ArrayNode array = NODES.arrayNode(size);
                for (int i = 0; i < size; i++) {
                    array.add(read(in, length, depth + 1));
                }
                yield array;
            }
            case MAP -> {
                int size = in.unpackMapHeader();
                within(2L * size, in, length); // every entry takes at least two bytes
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    JsonNode key = read(in, length, depth + 1);
                    object.set(key.isTextual() ? key.textValue() : key.toString(), read(in, length, depth + 1));
                }
                yield object;
            }
        };
    }

    private static byte[] payload(MessageUnpacker in, int size, long length) throws IOException {
        within(size, in, length);
        return in.readPayload(size);
    }

    private static void within(long claimed, MessageUnpacker in, long length) {
        long left = length - in.getTotalReadBytes();
        if (claimed < 0 || claimed > left) {
            throw new IllegalArgumentException("a header claims " + claimed + " but only " + left + " bytes are left");
        }
    }
}
