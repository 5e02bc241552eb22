package io.socketfleet.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.redis.RedisConnections;
import io.socketfleet.node.socketio.Ack;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo served at "/": greets each browser with the name of its node, relays chat to the
 * whole fleet, and tells every client which nodes exist and how many clients each holds.
 *
 * <ul>
 *   <li>on connect: {@code welcome {"node": name}}</li>
 *   <li>{@code chat {"from", "text"}} from a client: {@code chat {"from", "text", "node"}} to everyone
 *       in the fleet, acknowledged with {@code {"ok": true}} once sent</li>
 *   <li>every two seconds: {@code presence [{"node", "clients"}…]} to this node's clients</li>
 * </ul>
 */
public final class DemoApp {

    static final int MAX_TEXT = 500;
    static final int MAX_NAME = 40;
    private static final long PRESENCE_PERIOD_MILLIS = 2_000;

    private final SocketIoServer io;
    private final String nodeName;
    private final Optional<PresenceStore> store;
    private final Presence presence;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-presence");
        thread.setDaemon(true);
        return thread;
    });

    private DemoApp(SocketIoServer io, String nodeName, Optional<PresenceStore> store) {
        this.io = io;
        this.nodeName = nodeName;
        this.store = store;
        this.presence = new Presence(nodeName, store, () -> io.mainNamespace().socketCount());
    }

    /**
     * Installs the demo's handlers on a node's server.
     *
     * @param redis the fleet's Redis, where nodes share presence; empty for this node alone
     */
    public static DemoApp install(SocketIoServer io, String nodeName, Optional<RedisConnections> redis) {
        Optional<PresenceStore> store = redis.map(RedisPresenceStore::new);
        DemoApp app = new DemoApp(io, nodeName, store);
        app.io.mainNamespace().onConnection(app::onConnection);
        app.timer.scheduleWithFixedDelay(app::publishPresence, 0, PRESENCE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return app;
    }

    private void onConnection(Socket socket) {
        socket.emit("welcome", Map.of("node", nodeName, "transport", socket.transport()));
        socket.on("chat", (args, ack) -> chat(args, ack));
    }

    private void chat(List<JsonNode> args, Ack ack) {
        JsonNode message = args.isEmpty() ? null : args.get(0);
        String text = message == null ? "" : message.path("text").asText("");
        String from = message == null ? "" : message.path("from").asText("anonymous");
        if (text.isBlank() || text.length() > MAX_TEXT || from.length() > MAX_NAME) {
            ack.send(Map.of("ok", false, "error",
                    "text must be 1-" + MAX_TEXT + " characters and from at most " + MAX_NAME));
            return;
        }
        io.emit("chat", Map.of("from", from.isBlank() ? "anonymous" : from, "text", text, "node", nodeName));
        ack.send(Map.of("ok", true));
    }

    private void publishPresence() {
        try {
            List<Map<String, Object>> nodes = presence.refresh().stream()
                    .map(n -> Map.<String, Object>of("node", n.node(), "clients", n.clients()))
                    .toList();
            io.mainNamespace().local().emit("presence", Map.of("self", nodeName, "nodes", nodes));
        } catch (RuntimeException e) {
            // Presence is best effort; the next round tries again.
        }
    }

    public void close() {
        timer.shutdownNow();
        store.ifPresent(PresenceStore::close);
    }
}
