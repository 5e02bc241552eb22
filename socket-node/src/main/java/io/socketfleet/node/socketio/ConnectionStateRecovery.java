package io.socketfleet.node.socketio;

import io.socketfleet.node.engineio.DisconnectReason;

import java.util.Set;

/**
 * socket.io's {@code connectionStateRecovery} option. When on, and the namespace's adapter keeps
 * sessions, a client that lost its connection and comes back within the adapter's window (to
 * this node or, with the Redis streams adapter, any node) gets its socket id, rooms,
 * {@code socket.data} and every broadcast it missed, and {@link Socket#recovered()} is true.
 *
 * @param enabled         whether sockets get a private id ({@code pid}) and broadcasts an offset
 * @param skipMiddlewares whether a recovered socket skips the namespace's middleware (socket.io's default: yes)
 */
public record ConnectionStateRecovery(boolean enabled, boolean skipMiddlewares) {

    /** The reasons a session is kept for (socket.io's {@code RECOVERABLE_DISCONNECT_REASONS}). */
    static final Set<DisconnectReason> RECOVERABLE = Set.of(DisconnectReason.TRANSPORT_ERROR,
            DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.FORCED_CLOSE, DisconnectReason.PING_TIMEOUT,
            DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_SERVER_CLOSE);

    public static ConnectionStateRecovery off() {
        return new ConnectionStateRecovery(false, true);
    }

    /** On, recovered sockets skipping middleware as in socket.io. */
    public static ConnectionStateRecovery on() {
        return new ConnectionStateRecovery(true, true);
    }
}
