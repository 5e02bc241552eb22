package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** A handshake as socket.io's adapters send it between servers (the shape of Node's {@code socket.handshake}). */
final class Handshakes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** JavaScript's {@code Date.prototype.toString()} in UTC, as Node fills {@code handshake.time}. */
    private static final DateTimeFormatter JS_DATE = DateTimeFormatter
            .ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Handshakes() {
    }

    static ObjectNode toJson(Handshake handshake) {
        ObjectNode json = NODES.objectNode();
        ObjectNode headers = json.putObject("headers");
        for (String name : handshake.headers().names()) {
            headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", handshake.headers().getAll(name)));
        }
        json.put("time", JS_DATE.format(handshake.issued()));
        json.put("address", handshake.address());
        json.put("xdomain", handshake.headers().contains("origin"));
        json.put("secure", false);
        json.put("issued", handshake.issued().toEpochMilli());
        json.put("url", url(handshake.query()));
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

    /** The handshake request's URL as the query reconstructs it (Engine.IO's path, then the parameters). */
    private static String url(Map<String, List<String>> query) {
        StringJoiner parameters = new StringJoiner("&");
        query.forEach((name, values) -> values.forEach(value -> parameters.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return "/socket.io/?" + parameters;
    }
}
