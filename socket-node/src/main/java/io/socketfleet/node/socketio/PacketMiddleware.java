package io.socketfleet.node.socketio;

/**
 * Runs for every event a socket receives, before its handlers (socket.io's {@code socket.use}).
 * Throwing stops the event: no handler runs and the socket's {@link Socket#onError} handlers get
 * the exception; the client is told nothing unless the application tells it (as in socket.io,
 * where a typical error handler disconnects the socket).
 * <pre>{@code
 * socket.use(event -> {
 *     if (event.name().startsWith("admin:") && !isAdmin(socket)) {
 *         throw new IllegalStateException("unauthorized event");
 *     }
 * });
 * socket.onError(error -> socket.disconnect());
 * }</pre>
 */
@FunctionalInterface
public interface PacketMiddleware {

    void handle(IncomingEvent event) throws Exception;
}
