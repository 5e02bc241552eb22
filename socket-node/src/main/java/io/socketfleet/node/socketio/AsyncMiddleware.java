package io.socketfleet.node.socketio;

import java.util.concurrent.CompletionStage;

/**
 * A namespace middleware that may take its time (socket.io's {@code io.use((socket, next) => …)}
 * with a later {@code next}): the socket joins when the stage completes normally; completing
 * exceptionally with a {@link ConnectionRefusedException} refuses it with that message and data,
 * with anything else as "Internal error". The next middleware runs on the connection's event loop.
 * <pre>{@code
 * io.of("/chat").useAsync(socket -> tokens.verify(socket.handshake().auth().path("token").asText())
 *         .thenAccept(user -> socket.data().put("user", user)));
 * }</pre>
 */
@FunctionalInterface
public interface AsyncMiddleware {

    CompletionStage<Void> check(Socket socket);
}
