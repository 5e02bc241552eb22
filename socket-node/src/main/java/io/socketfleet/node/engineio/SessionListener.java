package io.socketfleet.node.engineio;

/** What sits on top of an Engine.IO session (the Socket.IO client); called on the session's event loop. */
public interface SessionListener {

    void onMessage(EnginePacket packet);

    void onClose(DisconnectReason reason);

    /** The session moved to another transport (engine.io's {@code upgrade} event): {@code "websocket"}. */
    default void onUpgrade(String transport) {
    }
}
