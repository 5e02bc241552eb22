package io.socketfleet.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.parser.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A socket as admin-ui describes it ({@code serialize()} in admin-ui's index.js): id, clientId,
 * transport, namespace, data (without admin-ui's own {@code _admin} entry), handshake (without
 * the auth payload) and rooms — for a socket of this node or one fetched from another.
 */
final class AdminSockets {

    private AdminSockets() {
    }

    /**
     * admin-ui shows the first 12 characters of the Engine.IO id; ours start with the node's route
     * token, the same for every client of a node, so the part after it is shown instead.
     */
    static String clientId(Socket socket) {
        String id = socket.clientId();
        String random = id.substring(id.indexOf('.') + 1);
        return random.substring(0, Math.min(12, random.length()));
    }

    static ObjectNode describe(Socket socket) {
        var handshake = socket.handshake();
        Map<String, String> headers = new LinkedHashMap<>();
        handshake.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        Map<String, String> query = new LinkedHashMap<>();
        handshake.query().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
        ObjectNode described = Json.MAPPER.createObjectNode();
        described.put("id", socket.id());
        described.put("clientId", clientId(socket));
        described.put("transport", socket.transport());
        described.put("nsp", socket.namespace().name());
        described.set("data", shownData(socket));
        ObjectNode shake = described.putObject("handshake");
        shake.put("address", handshake.address());
        shake.set("headers", Json.tree(headers));
        shake.set("query", Json.tree(query));
        shake.put("issued", handshake.issuedMillis());
        shake.put("secure", handshake.secure());
        shake.put("time", handshake.time());
        shake.put("url", handshake.url());
        shake.put("xdomain", handshake.xdomain());
        described.set("rooms", Json.tree(List.copyOf(socket.rooms())));
        return described;
    }

    /** The socket's data as admin-ui shows it: without its own {@code _admin} entry. */
    static JsonNode shownData(Socket socket) {
        Map<String, Object> data = new LinkedHashMap<>(socket.data());
        data.remove(AdminUi.ADMIN_DATA);
        return Json.tree(data);
    }

    static ObjectNode describe(RemoteSocket socket, String namespace) {
        JsonNode data = socket.data() == null ? Json.MAPPER.createObjectNode() : socket.data();
        JsonNode admin = data.path(AdminUi.ADMIN_DATA);
        ObjectNode described = Json.MAPPER.createObjectNode();
        described.put("id", socket.id());
        described.set("clientId", admin.hasNonNull("clientId") ? admin.get("clientId") : NullNode.getInstance());
        described.set("transport", admin.hasNonNull("transport") ? admin.get("transport") : NullNode.getInstance());
        described.put("nsp", namespace);
        ObjectNode withoutAdmin = data.isObject() ? ((ObjectNode) data).deepCopy() : Json.MAPPER.createObjectNode();
        withoutAdmin.remove(AdminUi.ADMIN_DATA);
        described.set("data", withoutAdmin);
        ObjectNode shake = socket.handshake() != null && socket.handshake().isObject()
                ? ((ObjectNode) socket.handshake()).deepCopy() : Json.MAPPER.createObjectNode();
        shake.remove("auth");
        described.set("handshake", shake);
        described.set("rooms", Json.tree(List.copyOf(socket.rooms())));
        return described;
    }
}
