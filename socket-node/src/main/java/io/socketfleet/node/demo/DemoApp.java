package io.socketfleet.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.Ack;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo served at "/": greets each browser with the name of its node, relays chat to the
 * whole fleet, and tells every client which nodes exist and how many clients each holds —
 * asked of the fleet itself with a server-side emit every node answers, so a node that is
 * gone is simply not in the next answer.
 *
 * <ul>
 *   <li>on connect: {@code welcome {"node": name}}</li>
 *   <li>{@code chat {"from", "text"}} from a client: {@code chat {"from", "text", "node"}} to everyone
 *       in the fleet, acknowledged with {@code {"ok": true}} once sent</li>
 *   <li>every two seconds: {@code presence [{"node", "clients"}…]} to this node's clients</li>
 *   <li>server-side {@code demo:presence} from another node: answered with {@code {"node", "clients"}}</li>
 * </ul>
 */
public final class DemoApp {

    static final int MAX_TEXT = 500;
    static final int MAX_NAME = 40;
    static final String PRESENCE_QUESTION = "demo:presence";
    private static final long PRESENCE_PERIOD_MILLIS = 2_000;
    /** Shorter than the period, so one round is over before the next asks again. */
    private static final Duration PRESENCE_TIMEOUT = Duration.ofMillis(1_500);

    private final SocketIoServer io;
    private final String nodeName;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-presence");
        thread.setDaemon(true);
        return thread;
    });

    private DemoApp(SocketIoServer io, String nodeName) {
        this.io = io;
        this.nodeName = nodeName;
    }

    /** Installs the demo's handlers on a node's server. */
    public static DemoApp install(SocketIoServer io, String nodeName) {
        DemoApp app = new DemoApp(io, nodeName);
        io.mainNamespace().onConnection(app::onConnection);
        io.onServerSideEmit(PRESENCE_QUESTION, (args, ack) -> ack.send(app.ownCount()));
        app.timer.scheduleWithFixedDelay(app::publishPresence, 0, PRESENCE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return app;
    }

    private Map<String, Object> ownCount() {
        return Map.of("node", nodeName, "clients", io.mainNamespace().socketCount());
    }

    private void onConnection(Socket socket) {
        socket.emit("welcome", Map.of("node", nodeName, "transport", socket.transport()));
        socket.on("chat", (args, ack) -> chat(socket, args, ack));
        socket.on("join", (args, ack) -> {
            String room = args.isEmpty() ? "" : args.get(0).asText("");
            boolean ok = !room.isBlank() && room.length() <= MAX_NAME;
            if (ok) {
                socket.join(room);
            }
            ack.send(Map.of("ok", ok));
        });
    }

    private void chat(Socket socket, List<JsonNode> args, Ack ack) {
        JsonNode message = args.isEmpty() ? null : args.get(0);
        String text = message == null ? "" : message.path("text").asText("");
        String from = message == null ? "" : message.path("from").asText("anonymous");
        if (text.isBlank() || text.length() > MAX_TEXT || from.length() > MAX_NAME) {
            ack.send(Map.of("ok", false, "error",
                    "text must be 1-" + MAX_TEXT + " characters and from at most " + MAX_NAME));
            return;
        }
        String room = message == null ? "" : message.path("room").asText("");
        String name = from.isBlank() ? "anonymous" : from;
        // The name a client chats under, kept on its socket (the admin UI shows it, and updates it when it changes).
        if (!name.equals(socket.data().get("name"))) {
            socket.data().put("name", name);
        }
        Map<String, String> said = Map.of("from", name, "text", text, "node", nodeName);
        if (room.isEmpty()) {
            io.emit("chat", said);
        } else {
            // To one room only (the page does not use rooms; the recovery tests do).
            io.to(room).emit("chat", said);
        }
        ack.send(Map.of("ok", true));
    }

    private void publishPresence() {
        int mine = io.mainNamespace().socketCount();
        io.serverSideEmitWithAck(PRESENCE_TIMEOUT, PRESENCE_QUESTION).thenAccept(replies -> {
            List<Map<String, Object>> nodes = Presence.of(nodeName, mine, replies.values()).stream()
                    .map(n -> Map.<String, Object>of("node", n.node(), "clients", n.clients()))
                    .toList();
            io.mainNamespace().local().emit("presence", Map.of("self", nodeName, "nodes", nodes));
        });
    }

    public void close() {
        timer.shutdownNow();
    }
}
