package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one JSON mapper of the node, and conversions between application values and JSON trees. */
public final class Json {

    /** Rejects trailing garbage after a JSON value ("[1]x" is not a valid payload). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Writes trees without resolving the serializer for the value's type on every call, as writeValueAsString does. */
    static final ObjectWriter TREE_WRITER = MAPPER.writerFor(JsonNode.class);

    private Json() {
    }

    /** Converts an application value (maps, lists, records, byte[], JsonNode…) to a tree. */
    public static JsonNode tree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof byte[] bytes) {
            return JsonNodeFactory.instance.binaryNode(bytes);
        }
        return MAPPER.valueToTree(value);
    }

    public static ArrayNode array(Object... values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Object value : values) {
            array.add(tree(value));
        }
        return array;
    }

    /** An event's data array: the name then the arguments. */
    public static ArrayNode event(String name, Object... args) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        array.add(name);
        for (Object arg : args) {
            array.add(tree(arg));
        }
        return array;
    }
}
