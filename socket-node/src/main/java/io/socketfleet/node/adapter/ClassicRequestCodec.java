package io.socketfleet.node.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The request and response messages of {@code @socket.io/redis-adapter} 8.x in its classic
 * mode, on {@code socket.io-request#<nsp>#} and {@code socket.io-response#<nsp>#}: JSON
 * objects {@code {uid, requestId?, type, …}}, except a broadcast with acks and a client's
 * ack, which are msgpack maps because they may carry binary. Request types: 0 socket ids,
 * 1 all rooms, 2 join, 3 leave, 4 disconnect, 5 fetch, 6 server-side emit, 7 broadcast with
 * acks; a response is typed (6, 8 client count, 9 client ack) or, for 0/1/5, known by its
 * keys. Types this codec does not know, and the per-socket join/leave/disconnect of
 * adapters before 7.0, decode to nothing, so a node ignores them.
 */
final class ClassicRequestCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** socket.io-parser's EVENT: the packet type a broadcast carries. */
    private static final int EVENT = 2;
    /** A broadcast with acks whose sender gave no deadline (Node always gives one) waits this long for its clients. */
    private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

    static final int SOCKETS = 0;
    static final int ALL_ROOMS = 1;
    static final int REMOTE_JOIN = 2;
    static final int REMOTE_LEAVE = 3;
    static final int REMOTE_DISCONNECT = 4;
    static final int REMOTE_FETCH = 5;
    static final int SERVER_SIDE_EMIT = 6;
    static final int BROADCAST = 7;
    static final int BROADCAST_CLIENT_COUNT = 8;
    static final int BROADCAST_ACK = 9;

    /** A request and the uid of the node that sent it. */
    record Received(String uid, ClusterRequest request) {
    }

    private ClassicRequestCodec() {
    }

    // ---- requests ------------------------------------------------------------------------

    static byte[] encodeRequest(String uid, ClusterRequest request) {
        return request.accept(new ClusterRequest.Visitor<>() {
            @Override
            public byte[] fetchSockets(ClusterRequest.FetchSockets r) {
                return json(header(uid, r.requestId(), REMOTE_FETCH).set("opts", options(r.target())));
            }

            @Override
            public byte[] socketsJoin(ClusterRequest.SocketsJoin r) {
                ObjectNode message = header(uid, null, REMOTE_JOIN);
                message.set("opts", options(r.target()));
                message.set("rooms", strings(r.rooms()));
                return json(message);
            }

            @Override
            public byte[] socketsLeave(ClusterRequest.SocketsLeave r) {
                ObjectNode message = header(uid, null, REMOTE_LEAVE);
                message.set("opts", options(r.target()));
                message.set("rooms", strings(r.rooms()));
                return json(message);
            }

            @Override
            public byte[] disconnectSockets(ClusterRequest.DisconnectSockets r) {
                ObjectNode message = header(uid, null, REMOTE_DISCONNECT);
                message.set("opts", options(r.target()));
                message.put("close", r.close());
                return json(message);
            }

            @Override
            public byte[] serverSideEmit(ClusterRequest.ServerSideEmit r) {
                return json(header(uid, r.requestId(), SERVER_SIDE_EMIT).set("data", r.data()));
            }

            @Override
            public byte[] broadcastWithAck(ClusterRequest.BroadcastWithAck r) {
                ObjectNode message = header(uid, r.requestId(), BROADCAST);
                message.set("packet", NODES.objectNode().put("type", EVENT).<ObjectNode>set("data", r.packet().data())
                        .put("nsp", r.packet().nsp()));
                // Node sends the broadcast's flags as they are: volatile and compress with the timeout.
                ObjectNode opts = options(r.target());
                opts.set("flags", ClusterMessage.Options.of(r.target()).flags().put("timeout", r.timeout().toMillis()));
                message.set("opts", opts);
                return msgpack(message);
            }

            @Override
            public byte[] listSocketIds(ClusterRequest.ListSocketIds r) {
                return json(header(uid, r.requestId(), SOCKETS).set("rooms", strings(r.rooms())));
            }

            @Override
            public byte[] listRooms(ClusterRequest.ListRooms r) {
                return json(header(uid, r.requestId(), ALL_ROOMS));
            }
        });
    }

    /** Decodes a request; empty for a kind this node does not handle; IllegalArgumentException when malformed. */
    static Optional<Received> decodeRequest(byte[] message) {
        JsonNode value = read(message);
        String uid = value.path("uid").asText("");
        String requestId = value.hasNonNull("requestId") ? value.get("requestId").asText() : null;
        JsonNode opts = value.path("opts");
        ClusterRequest request = switch (value.path("type").asInt(-1)) {
            case SOCKETS -> new ClusterRequest.ListSocketIds(required(requestId), stringSet(value.get("rooms")));
            case ALL_ROOMS -> new ClusterRequest.ListRooms(required(requestId));
            case REMOTE_JOIN -> opts.isObject()
                    ? new ClusterRequest.SocketsJoin(target(opts), stringSet(value.get("rooms"))) : null;
            case REMOTE_LEAVE -> opts.isObject()
                    ? new ClusterRequest.SocketsLeave(target(opts), stringSet(value.get("rooms"))) : null;
            case REMOTE_DISCONNECT -> opts.isObject()
                    ? new ClusterRequest.DisconnectSockets(target(opts), value.path("close").asBoolean(false)) : null;
            case REMOTE_FETCH -> new ClusterRequest.FetchSockets(required(requestId), target(opts));
            case SERVER_SIDE_EMIT -> new ClusterRequest.ServerSideEmit(requestId, eventData(value.get("data")));
            case BROADCAST -> broadcast(required(requestId), value.path("packet"), opts);
            default -> null;
        };
        return Optional.ofNullable(request).map(r -> new Received(uid, r));
    }

    private static ClusterRequest broadcast(String requestId, JsonNode packet, JsonNode opts) {
        JsonNode timeout = opts.path("flags").path("timeout");
        Duration deadline = timeout.isNumber() && timeout.asLong() > 0 ? Duration.ofMillis(timeout.asLong())
                : DEFAULT_ACK_TIMEOUT;
        // Node's classic adapter 8.3 drops the flags here; the cluster adapter (sharded, streams) keeps
        // them, and so do we on every transport: a volatile or uncompressed emit stays so on every node.
        JsonNode flags = opts.path("flags");
        BroadcastOptions target = target(opts);
        target = new BroadcastOptions(target.rooms(), target.except(), true,
                new PacketFlags(flags.path("volatile").asBoolean(false), flags.path("compress").asBoolean(true)));
        return new ClusterRequest.BroadcastWithAck(requestId,
                new BroadcastPacket(packet.path("nsp").asText("/"), eventData(packet.get("data"))), target, deadline);
    }

    // ---- replies ---------------------------------------------------------------------------

    static byte[] encodeReply(ClusterReply reply) {
        return reply.accept(new ClusterReply.Visitor<>() {
            @Override
            public byte[] socketsFetched(ClusterReply.SocketsFetched r) {
                ArrayNode sockets = NODES.arrayNode();
                for (SocketDetails socket : r.sockets()) {
                    ObjectNode entry = sockets.addObject();
                    entry.put("id", socket.id());
                    entry.set("handshake", socket.handshake());
                    entry.set("rooms", strings(socket.rooms()));
                    entry.set("data", socket.data());
                }
                return json(NODES.objectNode().put("requestId", r.requestId()).set("sockets", sockets));
            }

            @Override
            public byte[] serverSideEmitted(ClusterReply.ServerSideEmitted r) {
                return json(NODES.objectNode().put("type", SERVER_SIDE_EMIT).put("requestId", r.requestId())
                        .set("data", r.value()));
            }

            @Override
            public byte[] clientCount(ClusterReply.ClientCount r) {
                return json(NODES.objectNode().put("type", BROADCAST_CLIENT_COUNT).put("requestId", r.requestId())
                        .put("clientCount", r.count()));
            }

            @Override
            public byte[] clientAck(ClusterReply.ClientAck r) {
                return msgpack(NODES.objectNode().put("type", BROADCAST_ACK).put("requestId", r.requestId())
                        .set("packet", r.value()));
            }

            @Override
            public byte[] socketIdsListed(ClusterReply.SocketIdsListed r) {
                return json(NODES.objectNode().put("requestId", r.requestId()).set("sockets", strings(r.socketIds())));
            }

            @Override
            public byte[] roomsListed(ClusterReply.RoomsListed r) {
                return json(NODES.objectNode().put("requestId", r.requestId()).set("rooms", strings(r.rooms())));
            }
        });
    }

    /** Decodes a response; empty for one this node cannot use; IllegalArgumentException when malformed. */
    static Optional<ClusterReply> decodeReply(byte[] message) {
        JsonNode value = read(message);
        if (!value.hasNonNull("requestId")) {
            return Optional.empty();
        }
        String requestId = value.get("requestId").asText();
        JsonNode sockets = value.get("sockets");
        return Optional.ofNullable(switch (value.path("type").asInt(-1)) {
            case SERVER_SIDE_EMIT -> new ClusterReply.ServerSideEmitted(requestId, orNull(value.get("data")));
            case BROADCAST_CLIENT_COUNT -> new ClusterReply.ClientCount(requestId, value.path("clientCount").asInt(0));
            case BROADCAST_ACK -> new ClusterReply.ClientAck(requestId, orNull(value.get("packet")));
            default -> {
                if (sockets != null && sockets.isArray()) {
                    yield sockets.isEmpty() || sockets.get(0).isObject()
                            ? new ClusterReply.SocketsFetched(requestId, socketDetails(sockets))
                            : new ClusterReply.SocketIdsListed(requestId, stringSet(sockets));
                }
                JsonNode rooms = value.get("rooms");
                yield rooms != null && rooms.isArray() ? new ClusterReply.RoomsListed(requestId, stringSet(rooms)) : null;
            }
        });
    }

    private static List<SocketDetails> socketDetails(JsonNode sockets) {
        List<SocketDetails> details = new ArrayList<>(sockets.size());
        for (JsonNode socket : sockets) {
            if (!socket.path("id").isTextual()) {
                throw new IllegalArgumentException("a fetched socket without an id");
            }
            details.add(new SocketDetails(socket.get("id").asText(), orNull(socket.get("handshake")),
                    stringSet(socket.get("rooms")), orNull(socket.get("data"))));
        }
        return details;
    }

    // ---- shared ----------------------------------------------------------------------------

    /** A message as Node's adapter reads it: JSON when it starts with '{', msgpack otherwise. */
    private static JsonNode read(byte[] message) {
        JsonNode value;
        if (message.length > 0 && message[0] == '{') {
            try {
                value = JSON.readTree(message);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON message: " + e.getMessage());
            }
        } else {
            try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
                value = BoundedMsgpack.read(unpacker, message.length);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a msgpack message: " + e.getMessage());
            }
        }
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("a request or response must be an object");
        }
        return value;
    }

    private static ObjectNode header(String uid, String requestId, int type) {
        ObjectNode message = NODES.objectNode().put("uid", uid);
        if (requestId != null) {
            message.put("requestId", requestId);
        }
        return message.put("type", type);
    }

    private static ObjectNode options(BroadcastOptions target) {
        ObjectNode opts = NODES.objectNode();
        opts.set("rooms", strings(target.rooms()));
        opts.set("except", strings(target.except()));
        return opts;
    }

    /** A target from the other node's {rooms, except}; it runs on this node alone, so it is local. */
    private static BroadcastOptions target(JsonNode opts) {
        return new BroadcastOptions(stringSet(opts.get("rooms")), stringSet(opts.get("except")), true);
    }

    private static JsonNode eventData(JsonNode data) {
        if (data == null || !data.isArray() || data.isEmpty() || !data.get(0).isTextual()) {
            throw new IllegalArgumentException("event data must be [name, args…]");
        }
        return data;
    }

    private static String required(String requestId) {
        if (requestId == null) {
            throw new IllegalArgumentException("a request that is answered needs a requestId");
        }
        return requestId;
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.getInstance() : value;
    }

    private static ArrayNode strings(Set<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    private static Set<String> stringSet(JsonNode array) {
        Set<String> values = new HashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    private static byte[] json(JsonNode message) {
        try {
            return JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] msgpack(JsonNode message) {
        return MsgpackWriter.write(message);
    }
}
