package io.socketfleet.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.socketio.ConnectionRefusedException;
import io.socketfleet.node.socketio.Namespace;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * admin-ui's {@code instrument(io, { auth: { type: "basic", … }, readonly, mode })} for socket-node.
 * The {@code /admin} namespace refuses anyone without the user name and password (or a session id
 * it handed out: {@code session}); a UI that connects gets {@code config} (the features it may
 * use), then {@code server_stats} every 2 s from every node, each with the node's
 * {@code aggregatedEvents} (connections, disconnections, packets and bytes per second) for the
 * dashboard's charts. In development mode it also gets {@code all_sockets} (every namespace's
 * sockets in the fleet, by {@code fetchSockets}) and, as they happen, {@code socket_connected} /
 * {@code socket_disconnected}, {@code room_joined} / {@code room_left}, {@code socket_updated} (a
 * transport upgrade, a change of {@code socket.data}) and {@code event_received} /
 * {@code event_sent} (every event of every socket) — all emitted to the namespace, so through the
 * adapter they reach a UI on any node. Unless read-only it takes {@code emit}, {@code join},
 * {@code leave} and {@code _disconnect}, carried out fleet-wide.
 */
public final class AdminUi implements AutoCloseable {

    public static final String NAMESPACE = "/admin";
    static final Duration STATS_PERIOD = Duration.ofSeconds(2);
    /** admin-ui's own entry in {@code socket.data}: the Engine.IO id and transport, left out of what the UI shows. */
    static final String ADMIN_DATA = "_admin";
    private static final List<String> WRITE_FEATURES = List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE",
            "MDISCONNECT");
    private static final Logger log = LoggerFactory.getLogger(AdminUi.class);

    private final SocketIoServer io;
    private final Namespace admin;
    private final AdminUiOptions options;
    private final AdminSessions sessions;
    private final Map<String, String> sessionsToHandOut = new ConcurrentHashMap<>();
    private final Map<String, Object> server;
    private final EngineServer engine;
    private final AggregatedEvents aggregated;
    private final Instant started = Instant.now();
    /** bcrypt is slow on purpose: never on an event loop. */
    private final ExecutorService passwordChecks = Executors.newSingleThreadExecutor(daemon("admin-ui-auth"));
    private final ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(daemon("admin-ui-stats"));

    private AdminUi(SocketIoServer io, AdminUiOptions options, String serverId, EngineServer engine) {
        this.io = io;
        this.options = options;
        this.sessions = new AdminSessions(options.passwordHash());
        this.engine = engine;
        this.aggregated = new AggregatedEvents(engine.traffic().totals());
        this.server = Map.of("serverId", serverId, "hostname", hostName(), "pid", ProcessHandle.current().pid());
        this.admin = io.of(NAMESPACE);
    }

    /**
     * Serves the admin UI on {@code io}. Call it after the application set up its namespaces, so a
     * socket is reported with the rooms the application's connection handlers join.
     *
     * @param serverId how the UI names this node (the node name)
     * @param engine   the node's Engine.IO server: its sessions and their traffic
     */
    public static AdminUi instrument(SocketIoServer io, AdminUiOptions options, String serverId, EngineServer engine) {
        AdminUi ui = new AdminUi(io, options, serverId, engine);
        ui.admin.useAsync(ui::authenticate);
        ui.admin.onConnection(ui::welcome);
        if (options.development()) {
            io.namespaces().forEach(ui::watch);
            io.onNewNamespace(ui::watch);
        }
        ui.stats.scheduleAtFixedRate(ui::sampleTraffic, 1000, 1000, TimeUnit.MILLISECONDS);
        ui.stats.scheduleAtFixedRate(ui::emitStats, 0, STATS_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return ui;
    }

    private CompletableFuture<Void> authenticate(Socket socket) {
        CompletableFuture<Void> decided = new CompletableFuture<>();
        JsonNode auth = socket.handshake().auth();
        passwordChecks.execute(() -> {
            if (sessions.valid(auth.path("sessionId").asText(null), Instant.now())) {
                decided.complete(null);
            } else if (options.username().equals(auth.path("username").asText(null))
                    && BcryptPassword.matches(options.passwordHash(), auth.path("password").asText(null))) {
                sessionsToHandOut.put(socket.id(), sessions.issue(Instant.now()));
                decided.complete(null);
            } else {
                decided.completeExceptionally(new ConnectionRefusedException("invalid credentials"));
            }
        });
        return decided;
    }

    private void welcome(Socket socket) {
        String session = sessionsToHandOut.remove(socket.id());
        if (session != null) {
            socket.emit("session", session);
        }
        if (!options.readonly()) {
            takeCommands(socket);
        }
        socket.emit("config", Map.of("supportedFeatures", features()));
        if (!options.development()) {
            return;
        }
        allSockets().whenComplete((all, failure) -> {
            if (failure != null) {
                log.warn("admin UI: could not list the fleet's sockets: {}", failure.toString());
            }
            socket.emit("all_sockets", failure == null ? all : List.of());
        });
    }

    /** What the UI may offer: actions unless read-only, the dashboard's charts, and in development mode the events page. */
    private List<String> features() {
        List<String> features = new ArrayList<>(options.readonly() ? List.of() : WRITE_FEATURES);
        features.add("AGGREGATED_EVENTS");
        if (options.development()) {
            features.add("ALL_EVENTS");
        }
        return features;
    }

    /** The UI's commands, each on the sockets of the whole fleet that {@code filter} (a room or socket id) selects. */
    private void takeCommands(Socket socket) {
        socket.on("emit", (args, ack) -> {
            String filter = text(args, 1);
            Object[] payload = args.size() > 3 ? args.subList(3, args.size()).toArray() : new Object[0];
            if (filter == null) {
                io.of(text(args, 0)).emit(text(args, 2), payload);
            } else {
                io.of(text(args, 0)).in(filter).emit(text(args, 2), payload);
            }
        });
        socket.on("join", (args, ack) -> {
            String filter = text(args, 2);
            if (filter == null) {
                io.of(text(args, 0)).socketsJoin(text(args, 1));
            } else {
                io.of(text(args, 0)).in(filter).socketsJoin(text(args, 1));
            }
        });
        socket.on("leave", (args, ack) -> {
            String filter = text(args, 2);
            if (filter == null) {
                io.of(text(args, 0)).socketsLeave(text(args, 1));
            } else {
                io.of(text(args, 0)).in(filter).socketsLeave(text(args, 1));
            }
        });
        socket.on("_disconnect", (args, ack) -> {
            boolean close = args.size() > 1 && args.get(1).asBoolean();
            String filter = text(args, 2);
            if (filter == null) {
                io.of(text(args, 0)).disconnectSockets(close);
            } else {
                io.of(text(args, 0)).in(filter).disconnectSockets(close);
            }
        });
    }

    /**
     * Reports the sockets of a namespace as they come and go, the rooms they join and leave, changes
     * of their data and transport, and (but for the admin namespace's own) every event they receive and send.
     */
    private void watch(Namespace namespace) {
        // The adapter calls these locked: the emit, a Redis publish, goes on the stats thread (one thread keeps the order).
        namespace.onRoomJoined((room, id) -> emitLater("room_joined", namespace.name(), room, id));
        namespace.onRoomLeft((room, id) -> emitLater("room_left", namespace.name(), room, id));
        namespace.onConnection(socket -> {
            socket.data().put(ADMIN_DATA, Map.of("clientId", AdminSockets.clientId(socket), "transport", socket.transport()));
            socket.onUpgrade(transport -> {
                socket.data().put(ADMIN_DATA, Map.of("clientId", AdminSockets.clientId(socket), "transport", transport));
                admin.emit("socket_updated", Map.of("id", socket.id(), "nsp", namespace.name(), "transport", transport));
            });
            socket.onDataChange(key -> {
                if (!ADMIN_DATA.equals(key)) {
                    admin.emit("socket_updated", Map.of("id", socket.id(), "nsp", namespace.name(),
                            "data", AdminSockets.shownData(socket)));
                }
            });
            if (namespace != admin) {
                socket.onAny((event, args, ack) -> admin.emit("event_received", namespace.name(), socket.id(),
                        withEvent(event, args), Instant.now().toString()));
                socket.onAnyOutgoing((event, args) -> admin.emit("event_sent", namespace.name(), socket.id(),
                        withEvent(event, args), Instant.now().toString()));
            }
            admin.emit("socket_connected", AdminSockets.describe(socket), Instant.now().toString());
            socket.onDisconnect(reason -> admin.emit("socket_disconnected", namespace.name(), socket.id(), reason.text(),
                    Instant.now().toString()));
        });
    }

    /** Every socket of every namespace in the fleet. */
    private CompletableFuture<List<ObjectNode>> allSockets() {
        List<CompletableFuture<List<ObjectNode>>> perNamespace = new ArrayList<>();
        for (Namespace namespace : io.namespaces()) {
            perNamespace.add(namespace.fetchSockets().thenApply(sockets -> sockets.stream()
                    .map((RemoteSocket s) -> AdminSockets.describe(s, namespace.name())).toList()));
        }
        return CompletableFuture.allOf(perNamespace.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ObjectNode> all = new ArrayList<>();
            perNamespace.forEach(f -> all.addAll(f.join()));
            return all;
        });
    }

    private void emitLater(String event, String namespace, String room, String socketId) {
        String at = Instant.now().toString();
        try {
            stats.execute(() -> {
                try {
                    admin.emit(event, namespace, room, socketId, at);
                } catch (RuntimeException e) {
                    log.warn("admin UI: {} not sent: {}", event, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // The admin UI is closing: nobody is told any more.
        }
    }

    /** admin-ui's event arguments: the event name, then its arguments (an acknowledgement callback left out). */
    private static List<Object> withEvent(String event, List<JsonNode> args) {
        List<Object> all = new ArrayList<>(args.size() + 1);
        all.add(event);
        all.addAll(args);
        return all;
    }

    private void sampleTraffic() {
        try {
            aggregated.sample(engine.traffic().totals(), System.currentTimeMillis());
        } catch (RuntimeException e) {
            log.warn("admin UI: traffic not sampled: {}", e.toString());
        }
    }

    private void emitStats() {
        try {
            List<Map<String, Object>> namespaces = io.namespaces().stream()
                    .map(n -> Map.<String, Object>of("name", n.name(), "socketsCount", n.socketCount())).toList();
            Map<String, Object> stats = new LinkedHashMap<>(server);
            stats.put("uptime", Duration.between(started, Instant.now()).toMillis() / 1000.0);
            stats.put("clientsCount", engine.openSessions());
            stats.put("pollingClientsCount", engine.pollingSessions());
            stats.put("aggregatedEvents", aggregated.drain());
            stats.put("namespaces", namespaces);
            admin.emit("server_stats", stats);
        } catch (RuntimeException e) {
            // A failed round (Redis away) must not end the schedule.
            log.warn("admin UI: server stats not sent: {}", e.toString());
        }
    }

    private static String text(List<JsonNode> args, int index) {
        if (index >= args.size() || args.get(index).isNull() || args.get(index).isMissingNode()) {
            return null;
        }
        String value = args.get(index).asText();
        return value.isEmpty() ? null : value;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "socket-node";
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        stats.shutdownNow();
        passwordChecks.shutdownNow();
    }
}
