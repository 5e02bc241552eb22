package io.socketfleet.node.socketio.parser;

/** A client sent a Socket.IO packet that cannot be parsed or is not allowed now. */
public final class SocketIoProtocolException extends Exception {
    public SocketIoProtocolException(String message) {
        super(message);
    }
}
