package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Handles one event from a client. Runs on the connection's event loop: never block in it.
 * <pre>{@code
 * socket.on("chat", (args, ack) -> {
 *     io.emit("chat", args.get(0));
 *     ack.send(Map.of("ok", true));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface EventHandler {

    void handle(List<JsonNode> args, Ack ack) throws Exception;
}
