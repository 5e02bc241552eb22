package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Sees every event sent to a socket's client — its own emits and the broadcasts that reach it
 * (socket.io's {@code socket.onAnyOutgoing}). Runs on the thread that emits: keep it short.
 */
@FunctionalInterface
public interface OutgoingEventHandler {

    void handle(String event, List<JsonNode> args);
}
