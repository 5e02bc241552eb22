package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.adapter.Replies;
import io.socketfleet.node.engineio.EngineServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Socket.IO server on top of an Engine.IO server: the application's entry point.
 * <pre>{@code
 * io.of("/").onConnection(socket -> {
 *     socket.emit("welcome", Map.of("node", "n1"));
 *     socket.on("chat", (args, ack) -> io.emit("chat", args.get(0)));
 * });
 * }</pre>
 */
public final class SocketIoServer {

    private final AdapterFactory adapters;
    private final Duration connectTimeout;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

    public SocketIoServer(EngineServer engine, AdapterFactory adapters, Duration connectTimeout) {
        this.adapters = adapters;
        this.connectTimeout = connectTimeout;
        engine.onConnection(session -> session.setListener(new Client(session, this)));
        of("/");
    }

    /** The namespace with this name, created on first use (names start with "/"). */
    public Namespace of(String name) {
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("namespace names start with '/': " + name);
        }
        return namespaces.computeIfAbsent(name, n -> new Namespace(n, adapters));
    }

    /** The main namespace "/" (socket.io's {@code io.sockets}). */
    public Namespace mainNamespace() {
        return of("/");
    }

    /** Emits to every socket of the main namespace in the fleet. */
    public void emit(String event, Object... args) {
        mainNamespace().emit(event, args);
    }

    public BroadcastOperator to(String room) {
        return mainNamespace().to(room);
    }

    public BroadcastOperator except(String room) {
        return mainNamespace().except(room);
    }

    public BroadcastOperator local() {
        return mainNamespace().local();
    }

    /** See {@link Namespace#timeout}. */
    public BroadcastOperator timeout(Duration timeout) {
        return mainNamespace().timeout(timeout);
    }

    /** Every socket of the main namespace in the fleet; see {@link BroadcastOperator#fetchSockets}. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return mainNamespace().fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        mainNamespace().socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        mainNamespace().socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        mainNamespace().disconnectSockets(close);
    }

    /** See {@link Namespace#serverSideEmit}. */
    public void serverSideEmit(String event, Object... args) {
        mainNamespace().serverSideEmit(event, args);
    }

    /** See {@link Namespace#serverSideEmitWithAck}. */
    public CompletableFuture<Replies<JsonNode>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
        return mainNamespace().serverSideEmitWithAck(timeout, event, args);
    }

    /** See {@link Namespace#onServerSideEmit}. */
    public SocketIoServer onServerSideEmit(String event, EventHandler handler) {
        mainNamespace().onServerSideEmit(event, handler);
        return this;
    }

    public int connectedSockets() {
        return namespaces.values().stream().mapToInt(Namespace::socketCount).sum();
    }

    Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    public void close() {
        namespaces.values().forEach(ns -> ns.adapter().close());
        adapters.close();
    }
}
