package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/** A handshake as socket.io's adapters send it between servers (the shape of Node's {@code socket.handshake}). */
final class Handshakes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Handshakes() {
    }

    static ObjectNode toJson(Handshake handshake) {
        ObjectNode json = NODES.objectNode();
        ObjectNode headers = json.putObject("headers");
        for (String name : handshake.headers().names()) {
            headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", handshake.headers().getAll(name)));
        }
        json.put("time", handshake.time());
        json.put("address", handshake.address());
        json.put("xdomain", handshake.xdomain());
        json.put("secure", handshake.secure());
        json.put("issued", handshake.issuedMillis());
        json.put("url", handshake.url());
        ObjectNode query = json.putObject("query");
        handshake.query().forEach((name, values) -> {
            if (values.size() == 1) {
                query.put(name, values.get(0));
            } else {
                ArrayNode all = query.putArray(name);
                values.forEach(all::add);
            }
        });
        json.set("auth", handshake.auth());
        return json;
    }
}
