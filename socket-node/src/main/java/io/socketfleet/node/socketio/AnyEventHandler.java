package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Sees every event a client sends, before packet middleware and event handlers (socket.io's
 * {@code socket.onAny}). Runs on the connection's event loop: never block in it.
 * <pre>{@code
 * socket.onAny((event, args, ack) -> log.debug("{} sent {} {}", socket.id(), event, args));
 * }</pre>
 */
@FunctionalInterface
public interface AnyEventHandler {

    void handle(String event, List<JsonNode> args, Ack ack) throws Exception;
}
