package io.socketfleet.node.socketio.parser;

/** Socket.IO v5 packet types; the ordinal is the digit on the wire. */
public enum SocketIoPacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    public char digit() {
        return (char) ('0' + ordinal());
    }

    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }
}
