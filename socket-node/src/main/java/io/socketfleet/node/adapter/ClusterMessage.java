package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One message of socket.io-adapter's cluster protocol ({@code ClusterAdapter} and
 * {@code ClusterAdapterWithHeartbeat}), as every transport built on it carries it — the sharded
 * Redis pub/sub adapter and the Redis streams adapter alike: the sending node's {@code uid}, the
 * namespace, and a typed body. {@link ClusterMessageCodec} turns it into bytes.
 */
public record ClusterMessage(String uid, String nsp, Body body) {

    public ClusterMessage {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(nsp, "nsp");
        Objects.requireNonNull(body, "body");
    }

    public ClusterMessageType type() {
        return body.type();
    }

    /** The type-specific part of a message ({@code data} on the wire, absent for heartbeats and close). */
    public sealed interface Body {
        ClusterMessageType type();
    }

    /** Sent by a node whose adapter starts; every other node answers with a {@link Heartbeat}. */
    public record InitialHeartbeat() implements Body {
        public ClusterMessageType type() {
            return ClusterMessageType.INITIAL_HEARTBEAT;
        }
    }

    /** "I am alive"; sent when a node has published nothing for a heartbeat interval. */
    public record Heartbeat() implements Body {
        public ClusterMessageType type() {
            return ClusterMessageType.HEARTBEAT;
        }
    }

    /** Sent by a node whose adapter closes, so the others stop counting it at once. */
    public record AdapterClose() implements Body {
        public ClusterMessageType type() {
            return ClusterMessageType.ADAPTER_CLOSE;
        }
    }

    /** An event for the sockets the options select; with a request id the sender collects client acks. */
    public record Broadcast(BroadcastPacket packet, Options opts, String requestId) implements Body {
        public Broadcast {
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(opts, "opts");
        }

        public boolean withAck() {
            return requestId != null;
        }

        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST;
        }
    }

    /** Makes the selected sockets join these rooms. */
    public record SocketsJoin(Options opts, List<String> rooms) implements Body {
        public SocketsJoin {
            rooms = List.copyOf(rooms);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SOCKETS_JOIN;
        }
    }

    /** Makes the selected sockets leave these rooms. */
    public record SocketsLeave(Options opts, List<String> rooms) implements Body {
        public SocketsLeave {
            rooms = List.copyOf(rooms);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SOCKETS_LEAVE;
        }
    }

    /** Disconnects the selected sockets; {@code close} also closes their underlying connections. */
    public record DisconnectSockets(Options opts, boolean close) implements Body {
        public ClusterMessageType type() {
            return ClusterMessageType.DISCONNECT_SOCKETS;
        }
    }

    /** Asks every node for the sockets the options select. */
    public record FetchSockets(Options opts, String requestId) implements Body {
        public FetchSockets {
            Objects.requireNonNull(requestId, "requestId");
        }

        public ClusterMessageType type() {
            return ClusterMessageType.FETCH_SOCKETS;
        }
    }

    /** One node's answer to {@link FetchSockets}. */
    public record FetchSocketsResponse(String requestId, List<SocketDetails> sockets) implements Body {
        public FetchSocketsResponse {
            Objects.requireNonNull(requestId, "requestId");
            sockets = List.copyOf(sockets);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.FETCH_SOCKETS_RESPONSE;
        }
    }

    /**
     * An event for the other servers' {@code serverSideEmit} handlers: {@code packet} is the array
     * {@code [event, args…]}; with a request id each server answers once.
     */
    public record ServerSideEmit(JsonNode packet, String requestId) implements Body {
        public ServerSideEmit {
            if (packet == null || !packet.isArray() || packet.isEmpty()) {
                throw new IllegalArgumentException("a server-side emit needs [event, args…]");
            }
        }

        public boolean withAck() {
            return requestId != null;
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SERVER_SIDE_EMIT;
        }
    }

    /** One server's acknowledgement of a {@link ServerSideEmit}: the first argument it acked with. */
    public record ServerSideEmitResponse(String requestId, JsonNode packet) implements Body {
        public ServerSideEmitResponse {
            Objects.requireNonNull(requestId, "requestId");
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE;
        }
    }

    /** How many of its clients a node sent an acked broadcast to (so the sender knows how many acks to await). */
    public record BroadcastClientCount(String requestId, int clientCount) implements Body {
        public BroadcastClientCount {
            Objects.requireNonNull(requestId, "requestId");
        }

        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST_CLIENT_COUNT;
        }
    }

    /** One client's acknowledgement of an acked broadcast: the first argument it acked with. */
    public record BroadcastAck(String requestId, JsonNode packet) implements Body {
        public BroadcastAck {
            Objects.requireNonNull(requestId, "requestId");
        }

        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST_ACK;
        }
    }

    /** Room sets keep the order they came in, as Node's sets do, so what goes out reads like what came in. */
    private static Set<String> ordered(Set<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    /**
     * Which sockets an operation selects ({@code opts} on the wire): those in any of {@code rooms}
     * (all when empty) and in none of {@code except}. {@code flags} travel as sent (e.g. {@code timeout},
     * {@code volatile}); a node never publishes a {@code local} operation.
     */
    public record Options(Set<String> rooms, Set<String> except, ObjectNode flags) {
        public Options {
            rooms = ordered(rooms);
            except = ordered(except);
            flags = flags == null ? JsonNodeFactory.instance.objectNode() : flags.deepCopy();
        }

        /** The options of a local operation; its packet flags as Node sets them: only {@code volatile: true}, {@code compress: false}. */
        public static Options of(BroadcastOptions options) {
            ObjectNode flags = JsonNodeFactory.instance.objectNode();
            if (options.flags().volatilePacket()) {
                flags.put("volatile", true);
            }
            if (!options.flags().compress()) {
                flags.put("compress", false);
            }
            return new Options(options.rooms(), options.except(), flags);
        }

        /** The options to run the operation with on this node. */
        public BroadcastOptions broadcastOptions() {
            return new BroadcastOptions(rooms, except, false,
                    new PacketFlags(flags.path("volatile").asBoolean(false), flags.path("compress").asBoolean(true)));
        }

        @Override
        public ObjectNode flags() {
            return flags.deepCopy();
        }
    }
}
