package io.socketfleet.node.socketio;

/** Thrown by a {@link Middleware} to refuse a connection; the client gets connect_error. */
public final class ConnectionRefusedException extends Exception {

    private final transient Object data;

    public ConnectionRefusedException(String message) {
        this(message, null);
    }

    public ConnectionRefusedException(String message, Object data) {
        super(message);
        this.data = data;
    }

    /** Extra details sent to the client as {@code err.data}. */
    public Object data() {
        return data;
    }
}
