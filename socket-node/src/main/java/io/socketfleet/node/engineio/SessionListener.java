package io.socketfleet.node.engineio;

/** What sits on top of an Engine.IO session (the Socket.IO client); called on the session's event loop. */
public interface SessionListener {

    void onMessage(EnginePacket packet);

    void onClose(DisconnectReason reason);
}
