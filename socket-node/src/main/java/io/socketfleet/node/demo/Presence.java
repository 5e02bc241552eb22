package io.socketfleet.node.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fleet presence from the answers of the other nodes to the demo's presence question: each
 * says {@code {"node", "clients"}}; with this node's own count, the list sorted by node name.
 * An answer that says something else is left out; this node's own count is its own.
 */
final class Presence {

    /** One node and how many clients it holds. */
    record NodeCount(String node, int clients) {
    }

    private Presence() {
    }

    static List<NodeCount> of(String self, int ownClients, List<JsonNode> answers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode answer : answers) {
            JsonNode node = answer.path("node");
            JsonNode clients = answer.path("clients");
            if (node.isTextual() && clients.canConvertToInt() && clients.isIntegralNumber() && clients.intValue() >= 0) {
                counts.put(node.textValue(), clients.intValue());
            }
        }
        counts.put(self, ownClients);
        return counts.entrySet().stream().map(e -> new NodeCount(e.getKey(), e.getValue())).toList();
    }
}
