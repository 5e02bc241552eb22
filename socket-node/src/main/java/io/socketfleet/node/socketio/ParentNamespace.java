package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The namespaces a pattern or filter admits, created when a client first asks for one (socket.io's
 * {@code ParentNamespace}, from {@code io.of(/^\/room-\d+$/)}). Each child starts with the
 * middleware and connection handlers the parent holds at that moment; {@link #emit} reaches every
 * child's sockets, {@link #to}/{@link #except} the chosen ones in every child.
 * <pre>{@code
 * io.of(Pattern.compile("^/room-\\d+$"))
 *         .use(socket -> requireUser(socket))
 *         .onConnection(socket -> socket.emit("joined", socket.namespace().name()));
 * }</pre>
 */
public final class ParentNamespace {

    private final SocketIoServer server;
    private final NamespaceFilter filter;
    /** The pattern behind {@link #filter}, if it is one: {@code io.of(name)} for a matching name also makes a child. */
    private final Pattern pattern;
    private final List<AsyncMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final List<Namespace> children = new CopyOnWriteArrayList<>();

    ParentNamespace(SocketIoServer server, NamespaceFilter filter) {
        this.server = server;
        this.filter = filter;
        this.pattern = null;
    }

    ParentNamespace(SocketIoServer server, Pattern pattern) {
        this.server = server;
        this.filter = (name, auth) -> CompletableFuture.completedFuture(pattern.matcher(name).find());
        this.pattern = pattern;
    }

    /** Adds a middleware every child created from now on runs. */
    public ParentNamespace use(Middleware middleware) {
        Namespace.asAsync(middleware, middlewares::add);
        return this;
    }

    public ParentNamespace useAsync(AsyncMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /** Adds a connection handler every child created from now on runs. */
    public ParentNamespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    /** The namespaces created from this parent so far, on this node. */
    public Collection<Namespace> children() {
        return List.copyOf(children);
    }

    /** Emits to every socket of every child namespace in the fleet. */
    public void emit(String event, Object... args) {
        children.forEach(child -> child.emit(event, args));
    }

    /** A broadcast to this room in every child (socket.io's {@code parent.to(room)}); see {@link ParentBroadcastOperator}. */
    public ParentBroadcastOperator to(String room) {
        return everyChild().to(room);
    }

    /** The same as {@link #to}. */
    public ParentBroadcastOperator in(String room) {
        return to(room);
    }

    public ParentBroadcastOperator except(String room) {
        return everyChild().except(room);
    }

    public ParentBroadcastOperator local() {
        return everyChild().local();
    }

    public ParentBroadcastOperator asVolatile() {
        return everyChild().asVolatile();
    }

    public ParentBroadcastOperator compress(boolean compress) {
        return everyChild().compress(compress);
    }

    private ParentBroadcastOperator everyChild() {
        return new ParentBroadcastOperator(this, operator -> operator);
    }

    CompletionStage<Boolean> allows(String name, JsonNode auth) {
        return filter.allows(name, auth);
    }

    /** Whether this parent was made from a pattern that finds a match in {@code name}. */
    boolean matches(String name) {
        return pattern != null && pattern.matcher(name).find();
    }

    /**
     * The child namespace {@code name}; made now with what the parent holds, unless it exists already.
     * With the server's {@code cleanupEmptyChildNamespaces}, a child whose last socket leaves is
     * forgotten and its adapter closed; a later client asking for the name makes it anew (as socket.io).
     */
    Namespace createChild(String name) {
        return server.newNamespace(name, child -> {
            child.inherit(middlewares, connectionHandlers);
            children.add(child);
            if (server.cleansUpEmptyChildNamespaces()) {
                child.whenEmpty(() -> {
                    if (server.forget(child)) {
                        children.remove(child);
                        child.adapter().close();
                    }
                });
            }
        });
    }
}
