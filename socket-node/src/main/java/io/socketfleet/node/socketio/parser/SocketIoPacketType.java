package io.socketfleet.node.socketio.parser;

/** Socket.IO v5 packet types; the ordinal is the digit on the wire. */
public enum SocketIoPacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    /** By digit; values() would copy the array for every packet decoded. */
    private static final SocketIoPacketType[] BY_DIGIT = values();

    /** The type with this digit's value, or null when there is none. */
    static SocketIoPacketType ofDigit(int digit) {
        return digit >= 0 && digit < BY_DIGIT.length ? BY_DIGIT[digit] : null;
    }

    public char digit() {
        return (char) ('0' + ordinal());
    }

    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }
}
