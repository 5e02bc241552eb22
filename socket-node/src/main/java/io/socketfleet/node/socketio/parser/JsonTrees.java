package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/** Copies JSON trees while swapping some nodes: binary values for placeholders and back. */
final class JsonTrees {

    /** Returns the node to put in place of this one, or null to copy it and look inside. */
    @FunctionalInterface
    interface Swap<E extends Exception> {
        JsonNode swap(JsonNode node) throws E;
    }

    private JsonTrees() {
    }

    static <E extends Exception> JsonNode copy(JsonNode node, Swap<E> swap) throws E {
        JsonNode swapped = swap.swap(node);
        if (swapped != null) {
            return swapped;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode child : node) {
                copy.add(copy(child, swap));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), copy(field.getValue(), swap));
            }
            return copy;
        }
        return node;
    }
}
