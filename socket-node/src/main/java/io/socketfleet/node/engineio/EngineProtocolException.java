package io.socketfleet.node.engineio;

/** A client broke the Engine.IO protocol; the session it belongs to is closed. */
public final class EngineProtocolException extends Exception {
    public EngineProtocolException(String message) {
        super(message);
    }
}
