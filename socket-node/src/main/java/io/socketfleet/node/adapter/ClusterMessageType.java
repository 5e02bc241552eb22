package io.socketfleet.node.adapter;

/**
 * The message types of socket.io-adapter's {@code ClusterAdapter} (socket.io-adapter 2.5),
 * with their wire codes. Responses go to the requesting node only.
 */
public enum ClusterMessageType {
    INITIAL_HEARTBEAT(1),
    HEARTBEAT(2),
    BROADCAST(3),
    SOCKETS_JOIN(4),
    SOCKETS_LEAVE(5),
    DISCONNECT_SOCKETS(6),
    FETCH_SOCKETS(7),
    FETCH_SOCKETS_RESPONSE(8),
    SERVER_SIDE_EMIT(9),
    SERVER_SIDE_EMIT_RESPONSE(10),
    BROADCAST_CLIENT_COUNT(11),
    BROADCAST_ACK(12),
    ADAPTER_CLOSE(13);

    private final int code;

    ClusterMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether the Node adapters look for binary in a message of this type (and then send msgpack). */
    public boolean mayContainBinary() {
        return switch (this) {
            case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE -> true;
            default -> false;
        };
    }

    /** The type with this wire code; IllegalArgumentException for a code this version does not know. */
    public static ClusterMessageType of(int code) {
        for (ClusterMessageType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown cluster message type " + code);
    }
}
