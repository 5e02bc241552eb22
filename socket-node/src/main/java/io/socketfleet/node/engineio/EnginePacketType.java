package io.socketfleet.node.engineio;

/** Engine.IO v4 packet types; the ordinal is the digit on the wire. */
public enum EnginePacketType {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    /** By digit; values() would copy the array for every packet read. */
    private static final EnginePacketType[] BY_DIGIT = values();

    public char digit() {
        return (char) ('0' + ordinal());
    }

    static EnginePacketType fromDigit(char c) throws EngineProtocolException {
        int i = c - '0';
        if (i < 0 || i >= BY_DIGIT.length) {
            throw new EngineProtocolException("unknown packet type '" + c + "'");
        }
        return BY_DIGIT[i];
    }
}
