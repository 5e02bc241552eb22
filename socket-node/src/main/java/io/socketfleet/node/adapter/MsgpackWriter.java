package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree as msgpack the way notepack (the Node adapters' codec) does: binary
 * values as msgpack bin, whole numbers as integers, objects as maps with string keys.
 */
final class MsgpackWriter {

    private MsgpackWriter() {
    }

    static byte[] write(JsonNode value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pack(MessageBufferPacker packer, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            packer.packNil();
        } else if (node.isBinary()) {
            byte[] bytes = node.binaryValue();
            packer.packBinaryHeader(bytes.length).writePayload(bytes);
        } else if (node.isTextual()) {
            packer.packString(node.textValue());
        } else if (node.isBoolean()) {
            packer.packBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                packer.packLong(node.longValue());
            } else {
                packer.packBigInteger(node.bigIntegerValue());
            }
        } else if (node.isNumber()) {
            packer.packDouble(node.doubleValue());
        } else if (node.isArray()) {
            packer.packArrayHeader(node.size());
            for (JsonNode child : node) {
                pack(packer, child);
            }
        } else {
            packer.packMapHeader(node.size());
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                packer.packString(field.getKey());
                pack(packer, field.getValue());
            }
        }
    }
}
