package io.socketfleet.node.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.adapter.ClusterMessage.Body;
import io.socketfleet.node.adapter.ClusterMessage.Broadcast;
import io.socketfleet.node.adapter.ClusterMessage.BroadcastAck;
import io.socketfleet.node.adapter.ClusterMessage.BroadcastClientCount;
import io.socketfleet.node.adapter.ClusterMessage.DisconnectSockets;
import io.socketfleet.node.adapter.ClusterMessage.FetchSockets;
import io.socketfleet.node.adapter.ClusterMessage.FetchSocketsResponse;
import io.socketfleet.node.adapter.ClusterMessage.Options;
import io.socketfleet.node.adapter.ClusterMessage.ServerSideEmit;
import io.socketfleet.node.adapter.ClusterMessage.ServerSideEmitResponse;
import io.socketfleet.node.adapter.ClusterMessage.SocketsJoin;
import io.socketfleet.node.adapter.ClusterMessage.SocketsLeave;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link ClusterMessage}s to and from the object socket.io-adapter's {@code ClusterAdapter} builds
 * ({@code {uid, nsp, type, data}}), and that object to and from bytes as the Node adapters send it:
 * JSON, or msgpack (notepack) when a type that may carry binary does. Transports pick the framing:
 * the sharded pub/sub adapter sends the whole object ({@link #encode}/{@link #decode}); the streams
 * adapter stores {@code uid}, {@code nsp}, {@code type} as stream fields and {@code data} on its own
 * ({@link #data}, {@link #fromParts}, {@link #json}, {@link #msgpack}, {@link #read}).
 */
public final class ClusterMessageCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** socket.io-parser's EVENT; Node publishes it even when the data holds binary. */
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    private ClusterMessageCodec() {
    }

    /** The message as the sharded adapter publishes it: JSON, or msgpack when it carries binary. */
    public static byte[] encode(ClusterMessage message) {
        ObjectNode tree = tree(message);
        return needsMsgpack(message) ? MsgpackWriter.write(tree) : json(tree);
    }

    /** Decodes what {@link #encode} (or a Node adapter) sent; IllegalArgumentException when it is no cluster message. */
    public static ClusterMessage decode(byte[] bytes) {
        return fromTree(read(bytes));
    }

    /** Whether this message goes as msgpack: a type that may carry binary, carrying some. */
    public static boolean needsMsgpack(ClusterMessage message) {
        return message.type().mayContainBinary() && hasBinary(data(message));
    }

    /** The message as the object the Node adapters build. */
    public static ObjectNode tree(ClusterMessage message) {
        ObjectNode tree = NODES.objectNode();
        tree.put("uid", message.uid());
        tree.put("nsp", message.nsp());
        tree.put("type", message.type().code());
        JsonNode data = data(message);
        if (data != null) {
            tree.set("data", data);
        }
        return tree;
    }

    /** Reads the object the Node adapters build. */
    public static ClusterMessage fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("a cluster message is an object");
        }
        JsonNode type = tree.get("type");
        if (type == null || !type.canConvertToInt()) {
            throw new IllegalArgumentException("a cluster message needs a numeric type");
        }
        return fromParts(text(tree, "uid"), text(tree, "nsp"), type.asInt(), tree.get("data"));
    }

    /** A message from its parts: the streams adapter keeps {@code type} as a stream field of its own. */
    public static ClusterMessage fromParts(String uid, String nsp, int type, JsonNode data) {
        if (uid == null || nsp == null) {
            throw new IllegalArgumentException("a cluster message needs uid and nsp");
        }
        return new ClusterMessage(uid, nsp, body(ClusterMessageType.of(type), data));
    }

    /** The message's {@code data}; null for the types that carry none (heartbeats, close). */
    public static JsonNode data(ClusterMessage message) {
        Body body = message.body();
        return switch (body.type()) {
            case INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE -> null;
            case BROADCAST -> {
                Broadcast b = (Broadcast) body;
                ObjectNode data = NODES.objectNode();
                ObjectNode packet = data.putObject("packet");
                packet.put("type", EVENT);
                packet.set("data", b.packet().data());
                packet.put("nsp", b.packet().nsp());
                if (b.requestId() != null) {
                    data.put("requestId", b.requestId());
                }
                data.set("opts", options(b.opts()));
                yield data;
            }
            case SOCKETS_JOIN -> {
                SocketsJoin b = (SocketsJoin) body;
                yield withRooms(options(b.opts()), b.rooms());
            }
            case SOCKETS_LEAVE -> {
                SocketsLeave b = (SocketsLeave) body;
                yield withRooms(options(b.opts()), b.rooms());
            }
            case DISCONNECT_SOCKETS -> {
                DisconnectSockets b = (DisconnectSockets) body;
                ObjectNode data = NODES.objectNode();
                data.set("opts", options(b.opts()));
                data.put("close", b.close());
                yield data;
            }
            case FETCH_SOCKETS -> {
                FetchSockets b = (FetchSockets) body;
                ObjectNode data = NODES.objectNode();
                data.set("opts", options(b.opts()));
                data.put("requestId", b.requestId());
                yield data;
            }
            case FETCH_SOCKETS_RESPONSE -> {
                FetchSocketsResponse b = (FetchSocketsResponse) body;
                ObjectNode data = NODES.objectNode();
                data.put("requestId", b.requestId());
                ArrayNode sockets = data.putArray("sockets");
                for (SocketDetails socket : b.sockets()) {
                    ObjectNode entry = sockets.addObject();
                    entry.put("id", socket.id());
                    entry.set("handshake", socket.handshake());
                    entry.set("rooms", strings(socket.rooms()));
                    entry.set("data", socket.data());
                }
                yield data;
            }
            case SERVER_SIDE_EMIT -> {
                ServerSideEmit b = (ServerSideEmit) body;
                ObjectNode data = NODES.objectNode();
                if (b.requestId() != null) {
                    data.put("requestId", b.requestId());
                }
                data.set("packet", b.packet());
                yield data;
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ServerSideEmitResponse b = (ServerSideEmitResponse) body;
                yield answer(b.requestId(), b.packet());
            }
            case BROADCAST_CLIENT_COUNT -> {
                BroadcastClientCount b = (BroadcastClientCount) body;
                ObjectNode data = NODES.objectNode();
                data.put("requestId", b.requestId());
                data.put("clientCount", b.clientCount());
                yield data;
            }
            case BROADCAST_ACK -> {
                BroadcastAck b = (BroadcastAck) body;
                yield answer(b.requestId(), b.packet());
            }
        };
    }

    private static Body body(ClusterMessageType type, JsonNode data) {
        if (type == ClusterMessageType.INITIAL_HEARTBEAT) {
            return new ClusterMessage.InitialHeartbeat();
        } else if (type == ClusterMessageType.HEARTBEAT) {
            return new ClusterMessage.Heartbeat();
        } else if (type == ClusterMessageType.ADAPTER_CLOSE) {
            return new ClusterMessage.AdapterClose();
        }
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException(type + " needs a data object");
        }
        return switch (type) {
            case BROADCAST -> {
                JsonNode packet = data.path("packet");
                int packetType = packet.path("type").asInt(-1);
                if (packetType != EVENT && packetType != BINARY_EVENT) {
                    throw new IllegalArgumentException("unsupported packet type " + packetType);
                }
                String nsp = packet.path("nsp").asText("/");
                yield new Broadcast(new BroadcastPacket(nsp, packet.get("data")), options(data.get("opts")),
                        optionalText(data, "requestId"));
            }
            case SOCKETS_JOIN -> new SocketsJoin(options(data.get("opts")), List.copyOf(strings(data.get("rooms"))));
            case SOCKETS_LEAVE -> new SocketsLeave(options(data.get("opts")), List.copyOf(strings(data.get("rooms"))));
            case DISCONNECT_SOCKETS -> new DisconnectSockets(options(data.get("opts")), data.path("close").asBoolean(false));
            case FETCH_SOCKETS -> new FetchSockets(options(data.get("opts")), text(data, "requestId"));
            case FETCH_SOCKETS_RESPONSE -> {
                List<SocketDetails> sockets = new ArrayList<>();
                JsonNode entries = data.get("sockets");
                if (entries == null || !entries.isArray()) {
                    throw new IllegalArgumentException("FETCH_SOCKETS_RESPONSE needs a sockets array");
                }
                for (JsonNode entry : entries) {
                    sockets.add(new SocketDetails(text(entry, "id"), entry.get("handshake"), strings(entry.get("rooms")),
                            entry.get("data")));
                }
                yield new FetchSocketsResponse(text(data, "requestId"), sockets);
            }
            case SERVER_SIDE_EMIT -> new ServerSideEmit(data.get("packet"), optionalText(data, "requestId"));
            case SERVER_SIDE_EMIT_RESPONSE -> new ServerSideEmitResponse(text(data, "requestId"), packet(data));
            case BROADCAST_CLIENT_COUNT -> {
                JsonNode count = data.get("clientCount");
                if (count == null || !count.canConvertToInt()) {
                    throw new IllegalArgumentException("BROADCAST_CLIENT_COUNT needs a numeric clientCount");
                }
                yield new BroadcastClientCount(text(data, "requestId"), count.asInt());
            }
            case BROADCAST_ACK -> new BroadcastAck(text(data, "requestId"), packet(data));
            default -> throw new IllegalStateException("handled above: " + type);
        };
    }

    /** A JSON tree as JSON text bytes. */
    public static byte[] json(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A JSON tree as msgpack bytes, binary values as msgpack bin. */
    public static byte[] msgpack(JsonNode tree) {
        return MsgpackWriter.write(tree);
    }

    /**
     * Reads JSON (when the first byte is <code>{</code>, as the Node adapters tell them apart) or
     * msgpack, bounded by the message's own size; IllegalArgumentException when it is neither.
     */
    public static JsonNode read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("not JSON: " + e.getMessage());
            }
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            return BoundedMsgpack.read(unpacker, bytes.length);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not msgpack: " + e.getMessage());
        }
    }

    /** Whether the tree holds a binary value anywhere (socket.io's {@code hasBinary}). */
    public static boolean hasBinary(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isBinary()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasBinary(child)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode options(Options opts) {
        ObjectNode node = NODES.objectNode();
        node.set("rooms", strings(opts.rooms()));
        node.set("except", strings(opts.except()));
        node.set("flags", opts.flags());
        return node;
    }

    private static Options options(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("opts must be an object");
        }
        JsonNode flags = node.get("flags");
        return new Options(strings(node.get("rooms")), strings(node.get("except")),
                flags != null && flags.isObject() ? (ObjectNode) flags : null);
    }

    private static ObjectNode withRooms(ObjectNode opts, List<String> rooms) {
        ObjectNode data = NODES.objectNode();
        data.set("opts", opts);
        data.set("rooms", strings(rooms));
        return data;
    }

    private static ObjectNode answer(String requestId, JsonNode packet) {
        ObjectNode data = NODES.objectNode();
        data.put("requestId", requestId);
        if (packet != null && !packet.isMissingNode()) {
            data.set("packet", packet);
        }
        return data;
    }

    /** An answer's argument; an ack with no argument leaves {@code packet} out, read here as null. */
    private static JsonNode packet(JsonNode data) {
        JsonNode packet = data.get("packet");
        return packet == null ? NODES.nullNode() : packet;
    }

    private static ArrayNode strings(Collection<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        if (array != null && array.isArray()) {
            for (JsonNode value : array) {
                // socket.io types a room as string | number; a number keeps its text
                if (!value.isTextual() && !value.isNumber()) {
                    throw new IllegalArgumentException("rooms are strings");
                }
                values.add(value.asText());
            }
        }
        return values;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.textValue();
    }
}
