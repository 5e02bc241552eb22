package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.engineio.EngineServer;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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
    private final ConnectionStateRecovery recovery;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    /** Dynamic namespaces, asked in the order they were made; patterns also create children on {@link #of(String)}. */
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final List<Consumer<Namespace>> namespaceListeners = new CopyOnWriteArrayList<>();
    private volatile boolean cleanupEmptyChildNamespaces;

    public SocketIoServer(EngineServer engine, AdapterFactory adapters, Duration connectTimeout) {
        this(engine, adapters, connectTimeout, ConnectionStateRecovery.off());
    }

    /** With connection state recovery as given, for the namespaces whose adapter keeps sessions. */
    public SocketIoServer(EngineServer engine, AdapterFactory adapters, Duration connectTimeout,
                          ConnectionStateRecovery recovery) {
        this.adapters = adapters;
        this.connectTimeout = connectTimeout;
        this.recovery = recovery;
        engine.onConnection(session -> session.setListener(new Client(session, this)));
        of("/");
    }

    /**
     * The namespace with this name, created on first use (names start with "/"); a name a
     * dynamic namespace's pattern matches becomes that parent's child.
     */
    public Namespace of(String name) {
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("namespace names start with '/': " + name);
        }
        Namespace existing = namespaces.get(name);
        if (existing != null) {
            return existing;
        }
        for (ParentNamespace parent : parents) {
            if (parent.matches(name)) {
                return parent.createChild(name);
            }
        }
        return newNamespace(name, created -> { });
    }

    /**
     * Dynamic namespaces: every name the pattern finds a match in (as JavaScript's
     * {@code RegExp.test}; anchor it with ^…$) becomes a namespace when a client asks for it.
     */
    public ParentNamespace of(Pattern pattern) {
        ParentNamespace parent = new ParentNamespace(this, pattern);
        parents.add(parent);
        return parent;
    }

    /** Dynamic namespaces: a name becomes a namespace when a client asks for it and the filter allows it. */
    public ParentNamespace of(NamespaceFilter filter) {
        ParentNamespace parent = new ParentNamespace(this, filter);
        parents.add(parent);
        return parent;
    }

    /** The namespace {@code name}; {@code setUp} runs on it only if it is made now (not by another request first). */
    Namespace newNamespace(String name, Consumer<Namespace> setUp) {
        boolean[] made = {false};
        Namespace namespace = namespaces.computeIfAbsent(name, n -> {
            Namespace created = new Namespace(n, adapters, recovery);
            setUp.accept(created);
            made[0] = true;
            return created;
        });
        if (made[0]) {
            namespaceListeners.forEach(listener -> listener.accept(namespace));
        }
        return namespace;
    }

    /**
     * socket.io's {@code cleanupEmptyChildNamespaces} option (off by default): a dynamic namespace's
     * child made from now on is removed, its adapter closed, when its last socket on this node leaves,
     * so names used once (a room per game, per document) do not pile up.
     */
    public SocketIoServer cleanupEmptyChildNamespaces(boolean cleanup) {
        this.cleanupEmptyChildNamespaces = cleanup;
        return this;
    }

    boolean cleansUpEmptyChildNamespaces() {
        return cleanupEmptyChildNamespaces;
    }

    /** Drops this namespace from the server, if it is still the one under its name. */
    boolean forget(Namespace namespace) {
        return namespaces.remove(namespace.name(), namespace);
    }

    /** The namespaces that exist on this node (socket.io's {@code io._nsps}). */
    public Collection<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /** Called with every namespace made from now on (socket.io's {@code new_namespace} event). */
    public SocketIoServer onNewNamespace(Consumer<Namespace> listener) {
        namespaceListeners.add(listener);
        return this;
    }

    /**
     * A client asks for a namespace that does not exist: the first parent whose filter allows the name
     * creates it (socket.io's {@code _checkNamespace}); empty when none does.
     */
    CompletionStage<Optional<Namespace>> dynamicNamespace(String name, JsonNode auth) {
        return tryParent(parents.iterator(), name, auth);
    }

    private CompletionStage<Optional<Namespace>> tryParent(Iterator<ParentNamespace> remaining, String name, JsonNode auth) {
        if (!remaining.hasNext()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ParentNamespace parent = remaining.next();
        CompletionStage<Boolean> allowed;
        try {
            allowed = parent.allows(name, auth);
        } catch (RuntimeException e) {
            allowed = CompletableFuture.failedFuture(e);
        }
        return allowed.handle((yes, failure) -> failure == null && Boolean.TRUE.equals(yes))
                .thenCompose(yes -> yes
                        ? CompletableFuture.completedFuture(Optional.of(parent.createChild(name)))
                        : tryParent(remaining, name, auth));
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

    /** The same as {@link #to}. */
    public BroadcastOperator in(String room) {
        return to(room);
    }

    /** Emits to the main namespace that are dropped for clients whose transport is busy. */
    public BroadcastOperator asVolatile() {
        return mainNamespace().asVolatile();
    }

    public BroadcastOperator compress(boolean compress) {
        return mainNamespace().compress(compress);
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

    /**
     * Writes the session of every connected socket that can recover to the adapter's store, as it
     * is now: a draining node does so before it closes any transport, so wherever its clients come
     * back they find their rooms and data as they left them, whatever the periodic refresh last saw.
     */
    public CompletableFuture<Void> writeLiveSessions() {
        return CompletableFuture.allOf(namespaces.values().stream()
                .filter(Namespace::recoversSessions)
                .map(ns -> ns.adapter().writeLiveSessions())
                .toArray(CompletableFuture[]::new));
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
