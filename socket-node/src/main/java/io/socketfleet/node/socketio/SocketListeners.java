package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.DisconnectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a socket's application listens with — event handlers (once or not), catch-all handlers
 * both ways, packet middleware, error handlers — and the order socket.io runs them in for an
 * incoming event: catch-all handlers, then the middleware chain, then (if still connected) the
 * event's handlers — and the socket's lifecycle listeners (disconnecting, disconnect, upgrade).
 */
final class SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(SocketListeners.class);

    /** An event handler as registered: {@code once} ones are removed before their first call. Compared by identity. */
    private static final class Listener {
        final EventHandler handler;
        final boolean once;

        Listener(EventHandler handler, boolean once) {
            this.handler = handler;
            this.once = once;
        }
    }

    // Every collection below is an immutable snapshot replaced whole under this object's lock and read
    // without it; an empty one is the shared List.of()/Map.of(), so a socket whose application registers
    // nothing of a kind pays nothing for it (thousands of idle sockets per node).
    private final String where;
    private volatile Map<String, List<Listener>> handlers = Map.of();
    private volatile List<AnyEventHandler> anyHandlers = List.of();
    private volatile List<OutgoingEventHandler> outgoingHandlers = List.of();
    private volatile List<AsyncPacketMiddleware> middlewares = List.of();
    private volatile List<Consumer<Exception>> errorHandlers = List.of();
    private volatile List<Consumer<DisconnectReason>> disconnectingHandlers = List.of();
    private volatile List<Consumer<DisconnectReason>> disconnectHandlers = List.of();
    private volatile List<Consumer<String>> upgradeHandlers = List.of();

    /** {@code where} names the socket's namespace in log lines. */
    SocketListeners(String where) {
        this.where = where;
    }

    synchronized void on(String event, EventHandler handler, boolean once) {
        Map<String, List<Listener>> updated = new HashMap<>(handlers);
        updated.put(event, plus(updated.getOrDefault(event, List.of()), new Listener(handler, once)));
        handlers = Map.copyOf(updated);
    }

    /** Removes the latest registration of this handler for the event, as Node's EventEmitter does. */
    synchronized void off(String event, EventHandler handler) {
        List<Listener> registered = handlers.get(event);
        if (registered == null) {
            return;
        }
        for (int i = registered.size() - 1; i >= 0; i--) {
            if (registered.get(i).handler == handler) {
                replace(event, registered, i);
                return;
            }
        }
    }

    synchronized void offAll(String event) {
        if (handlers.containsKey(event)) {
            Map<String, List<Listener>> updated = new HashMap<>(handlers);
            updated.remove(event);
            handlers = Map.copyOf(updated);
        }
    }

    /** Takes a once-handler out before its call; false when another call took it first. */
    private synchronized boolean take(String event, Listener listener) {
        List<Listener> registered = handlers.get(event);
        if (registered == null) {
            return false;
        }
        for (int i = 0; i < registered.size(); i++) {
            if (registered.get(i) == listener) {
                replace(event, registered, i);
                return true;
            }
        }
        return false;
    }

    /** Swaps {@code registered}, the event's list, for one without its {@code index}th listener. */
    private void replace(String event, List<Listener> registered, int index) {
        List<Listener> rest = new ArrayList<>(registered);
        rest.remove(index);
        Map<String, List<Listener>> updated = new HashMap<>(handlers);
        if (rest.isEmpty()) {
            updated.remove(event);
        } else {
            updated.put(event, List.copyOf(rest));
        }
        handlers = Map.copyOf(updated);
    }

    synchronized void onAny(AnyEventHandler handler) {
        anyHandlers = plus(anyHandlers, handler);
    }

    synchronized void prependAny(AnyEventHandler handler) {
        anyHandlers = first(handler, anyHandlers);
    }

    List<AnyEventHandler> anyHandlers() {
        return anyHandlers;
    }

    synchronized void offAny(AnyEventHandler handler) {
        anyHandlers = minus(anyHandlers, handler);
    }

    synchronized void offAny() {
        anyHandlers = List.of();
    }

    synchronized void onAnyOutgoing(OutgoingEventHandler handler) {
        outgoingHandlers = plus(outgoingHandlers, handler);
    }

    synchronized void prependAnyOutgoing(OutgoingEventHandler handler) {
        outgoingHandlers = first(handler, outgoingHandlers);
    }

    List<OutgoingEventHandler> outgoingHandlers() {
        return outgoingHandlers;
    }

    synchronized void offAnyOutgoing(OutgoingEventHandler handler) {
        outgoingHandlers = minus(outgoingHandlers, handler);
    }

    synchronized void offAnyOutgoing() {
        outgoingHandlers = List.of();
    }

    synchronized void use(AsyncPacketMiddleware middleware) {
        middlewares = plus(middlewares, middleware);
    }

    synchronized void onError(Consumer<Exception> handler) {
        errorHandlers = plus(errorHandlers, handler);
    }

    synchronized void onDisconnecting(Consumer<DisconnectReason> handler) {
        disconnectingHandlers = plus(disconnectingHandlers, handler);
    }

    synchronized void onDisconnect(Consumer<DisconnectReason> handler) {
        disconnectHandlers = plus(disconnectHandlers, handler);
    }

    synchronized void onUpgrade(Consumer<String> handler) {
        upgradeHandlers = plus(upgradeHandlers, handler);
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> updated = new ArrayList<>(list.size() + 1);
        updated.addAll(list);
        updated.add(item);
        return List.copyOf(updated);
    }

    private static <T> List<T> first(T item, List<T> list) {
        List<T> updated = new ArrayList<>(list.size() + 1);
        updated.add(item);
        updated.addAll(list);
        return List.copyOf(updated);
    }

    /** Without the first registration of {@code item}, as CopyOnWriteArrayList.remove did. */
    private static <T> List<T> minus(List<T> list, T item) {
        int index = list.indexOf(item);
        if (index < 0) {
            return list;
        }
        List<T> updated = new ArrayList<>(list);
        updated.remove(index);
        return List.copyOf(updated);
    }

    /** Tells the "disconnecting" handlers (the socket still in its rooms). */
    void disconnecting(DisconnectReason reason) {
        for (Consumer<DisconnectReason> handler : disconnectingHandlers) {
            try {
                handler.accept(reason);
            } catch (RuntimeException e) {
                log.warn("disconnecting handler on {} failed", where, e);
            }
        }
    }

    /** Tells the "disconnect" handlers. */
    void disconnected(DisconnectReason reason) {
        for (Consumer<DisconnectReason> handler : disconnectHandlers) {
            try {
                handler.accept(reason);
            } catch (RuntimeException e) {
                log.warn("disconnect handler on {} failed", where, e);
            }
        }
    }

    /** Tells the upgrade handlers the connection's new transport. */
    void upgraded(String transport) {
        for (Consumer<String> handler : upgradeHandlers) {
            try {
                handler.accept(transport);
            } catch (RuntimeException e) {
                log.warn("upgrade handler on {} failed", where, e);
            }
        }
    }

    /** An event is on its way to the client ({@code [event, args…]}): tell the outgoing handlers. */
    void outgoing(JsonNode data) {
        if (outgoingHandlers.isEmpty()) {
            return;
        }
        String event = data.get(0).asText();
        List<JsonNode> args = new ArrayList<>(data.size() - 1);
        for (int i = 1; i < data.size(); i++) {
            args.add(data.get(i));
        }
        List<JsonNode> view = Collections.unmodifiableList(args);
        for (OutgoingEventHandler handler : outgoingHandlers) {
            try {
                handler.handle(event, view);
            } catch (RuntimeException e) {
                log.warn("outgoing handler on {} failed", where, e);
            }
        }
    }

    /**
     * An event came from the client. Runs on the connection's loop; middleware that completes
     * elsewhere hands back to {@code loop}, and the handlers run only if {@code connected} still holds.
     */
    void dispatch(String event, List<JsonNode> args, Ack ack, Executor loop, BooleanSupplier connected) {
        for (AnyEventHandler handler : anyHandlers) {
            try {
                handler.handle(event, args, ack);
            } catch (Exception e) {
                log.warn("catch-all handler on {} failed", where, e);
            }
        }
        if (middlewares.isEmpty()) {
            runHandlers(event, args, ack);
            return;
        }
        IncomingEvent incoming = new IncomingEvent(event, args, ack);
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (AsyncPacketMiddleware middleware : middlewares) {
            chain = chain.thenComposeAsync(done -> invoke(middleware, incoming), loop);
        }
        chain.whenCompleteAsync((done, failure) -> {
            if (failure != null) {
                error(unwrap(failure));
            } else if (connected.getAsBoolean()) {
                runHandlers(event, incoming.args(), ack);
            }
        }, loop);
    }

    private static CompletionStage<Void> invoke(AsyncPacketMiddleware middleware, IncomingEvent event) {
        try {
            CompletionStage<Void> result = middleware.handle(event);
            return result == null ? CompletableFuture.completedFuture(null) : result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The exception a failed stage carries, not its CompletionException wrapper. */
    static Exception unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof Exception e ? e : new RuntimeException(cause);
    }

    private void runHandlers(String event, List<JsonNode> args, Ack ack) {
        List<Listener> registered = handlers.get(event);
        if (registered == null) {
            return;
        }
        for (Listener listener : registered) {
            // A once-handler runs only if this call is the one that removes it.
            if (listener.once && !take(event, listener)) {
                continue;
            }
            try {
                listener.handler.handle(args, ack);
            } catch (Exception e) {
                log.warn("handler for '{}' on {} failed", event, where, e);
            }
        }
    }

    /** Hands an error to the error handlers (socket.io's "error" event on the socket). */
    void error(Exception error) {
        for (Consumer<Exception> handler : errorHandlers) {
            try {
                handler.accept(error);
            } catch (RuntimeException e) {
                log.warn("error handler on {} failed", where, e);
            }
        }
    }
}
