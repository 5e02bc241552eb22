package io.socketfleet.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.socketio.ConnectionRefusedException;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;

import java.time.Duration;
import java.util.Map;

/** The server side of the integration scenarios in src/test/js/scenarios.js. */
public final class TestApp {

    private TestApp() {
    }

    public static void install(SocketNode node) {
        SocketIoServer io = node.io();
        String nodeName = node.config().nodeName();
        ClusterOps.install(io, nodeName);
        io.mainNamespace().onConnection(socket -> {
            socket.emit("hello", Map.of("node", nodeName, "id", socket.id()));
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("join", (args, ack) -> {
                socket.join(args.get(0).asText());
                ack.send();
            });
            socket.on("to-room", (args, ack) -> {
                io.to(args.get(0).asText()).emit("room-message", args.get(1));
                ack.send();
            });
            socket.on("broadcast", (args, ack) -> {
                socket.broadcast().emit("broadcasted", args.get(0));
                ack.send();
            });
            socket.on("emit-all", (args, ack) -> {
                io.emit("all", args.get(0), new byte[] {4, 5, 6});
                ack.send();
            });
            socket.on("binary-please", (args, ack) ->
                    socket.emit("binary-data", Map.of("label", "meta", "nested", new byte[] {7, 7}), new byte[] {0, 1, 2, (byte) 200}));
            socket.on("kick-me", (args, ack) -> socket.disconnect());
            socket.on("kick-hard", (args, ack) -> {
                socket.emit("bye", "see you");
                socket.disconnect(true);
            });
            socket.on("ask", (args, ack) -> ask(socket));
        });
        io.of("/admin").use(socket -> {
            JsonNode token = socket.handshake().auth().path("token");
            if (!"letmein".equals(token.asText())) {
                throw new ConnectionRefusedException("not authorized", Map.of("reason", "bad token"));
            }
        }).onConnection(socket -> socket.emit("admin-hello", Map.of("ok", true)));
    }

    private static void ask(Socket socket) {
        socket.emitWithAck(Duration.ofSeconds(2), "question", "ping?", new byte[] {1, 2, 3, 4, 5})
                .whenComplete((reply, error) -> socket.emit("answer",
                        error == null ? reply.get(0) : Map.of("error", error.getClass().getSimpleName())));
    }
}
