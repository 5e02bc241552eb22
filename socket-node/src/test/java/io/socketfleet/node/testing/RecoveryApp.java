package io.socketfleet.node.testing;

import io.socketfleet.node.SocketNode;
import io.socketfleet.node.socketio.Namespace;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/** The server side of src/test/js/recovery.js: rooms and data from the auth payload, room broadcasts on request. */
public final class RecoveryApp {

    /** How many times the namespace's middleware ran (a recovered socket skips it by default). */
    public final AtomicInteger middlewareRuns = new AtomicInteger();

    public static RecoveryApp install(SocketNode node) {
        RecoveryApp app = new RecoveryApp();
        Namespace main = node.io().mainNamespace();
        main.use(socket -> app.middlewareRuns.incrementAndGet());
        main.onConnection(socket -> {
            if (!socket.recovered()) {
                socket.join(socket.handshake().auth().path("room").asText());
                socket.data().put("name", socket.handshake().auth().path("name").asText());
            }
            socket.on("publish", (args, ack) -> {
                String room = args.get(0).asText();
                int from = args.get(1).asInt();
                int count = args.get(2).asInt();
                for (int i = from; i < from + count; i++) {
                    main.to(room).emit("msg", i);
                }
                ack.send(count);
            });
            socket.on("whoami", (args, ack) -> ack.send(Map.of("id", socket.id(), "recovered", socket.recovered(),
                    "rooms", new TreeSet<>(socket.rooms()), "data", Map.copyOf(socket.data()),
                    "node", node.config().nodeName())));
        });
        return app;
    }
}
