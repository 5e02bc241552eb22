package io.socketfleet.node.socketio;

/**
 * Runs before a socket joins a namespace, e.g. to check {@code socket.handshake().auth()}.
 * <pre>{@code
 * io.of("/admin").use(socket -> {
 *     if (!"secret".equals(socket.handshake().auth().path("token").asText())) {
 *         throw new ConnectionRefusedException("not authorized");
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {

    void check(Socket socket) throws ConnectionRefusedException;
}
