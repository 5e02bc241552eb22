package io.socketfleet.node.engineio;

/**
 * Why a session closed or a socket left its namespace, in socket.io 4.8's own words (its
 * server-side {@code DisconnectReason}), so handlers ported from Node see the same reasons.
 * The Engine.IO layer closes sessions with these; the Socket.IO layer passes them on to its
 * sockets and adds the two namespace reasons. ({@code "io server disconnect"} and
 * {@code "io client disconnect"} are the client's names for the namespace ones.)
 */
public enum DisconnectReason {

    /** The connection failed, or the client broke a transport rule (an overlapping poll, a ping from the client). */
    TRANSPORT_ERROR("transport error"),
    /** The client went away: the connection closed, or it sent a close packet. */
    TRANSPORT_CLOSE("transport close"),
    /** The server closed the session: a client too slow to read, or one breaking a Socket.IO rule. */
    FORCED_CLOSE("forced close"),
    /** No pong within the ping timeout. */
    PING_TIMEOUT("ping timeout"),
    /** A packet could not be decoded; used for nothing else. */
    PARSE_ERROR("parse error"),
    /** The node is draining or stopping, or hands the session to a less loaded node (rebalancing). */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The application closed the whole connection ({@code socket.disconnect(true)}), or no namespace was joined in time. */
    FORCED_SERVER_CLOSE("forced server close"),
    /** The client left this namespace; its connection stays up. */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The application removed the socket from this namespace ({@code socket.disconnect()}). */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect");

    private final String text;

    DisconnectReason(String text) {
        this.text = text;
    }

    /** The reason as socket.io writes it, e.g. {@code "transport close"}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
