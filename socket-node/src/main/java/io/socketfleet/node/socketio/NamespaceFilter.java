package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a namespace that does not exist yet may be created for a client asking for it
 * (socket.io's {@code io.of((name, auth, next) => …)}); it completes with true to create it.
 */
@FunctionalInterface
public interface NamespaceFilter {

    CompletionStage<Boolean> allows(String name, JsonNode auth);
}
