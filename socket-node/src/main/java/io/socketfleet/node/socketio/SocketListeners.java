package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a socket's application listens with — event handlers (once or not), catch-all handlers
 * both ways, packet middleware, error handlers — and the order socket.io runs them in for an
 * incoming event: catch-all handlers, then the middleware chain, then (if still connected) the
 * event's handlers.
 */
final class SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(SocketListeners.class);

    /** An event handler as registered: {@code once} ones are removed before their first call. */
    private record Listener(EventHandler handler, boolean once) {
    }

    private final String where;
    private final Map<String, List<Listener>> handlers = new ConcurrentHashMap<>();
    private final List<AnyEventHandler> anyHandlers = new CopyOnWriteArrayList<>();
    private final List<OutgoingEventHandler> outgoingHandlers = new CopyOnWriteArrayList<>();
    private final List<AsyncPacketMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Exception>> errorHandlers = new CopyOnWriteArrayList<>();

    /** {@code where} names the socket's namespace in log lines. */
    SocketListeners(String where) {
        this.where = where;
    }

    void on(String event, EventHandler handler, boolean once) {
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(new Listener(handler, once));
    }

    /** Removes the latest registration of this handler for the event, as Node's EventEmitter does. */
    void off(String event, EventHandler handler) {
        List<Listener> registered = handlers.get(event);
        if (registered == null) {
            return;
        }
        for (int i = registered.size() - 1; i >= 0; i--) {
            Listener listener = registered.get(i);
            if (listener.handler() == handler) {
                registered.remove(listener);
                return;
            }
        }
    }

    void offAll(String event) {
        handlers.remove(event);
    }

    List<AnyEventHandler> anyHandlers() {
        return anyHandlers;
    }

    List<OutgoingEventHandler> outgoingHandlers() {
        return outgoingHandlers;
    }

    void use(AsyncPacketMiddleware middleware) {
        middlewares.add(middleware);
    }

    void onError(Consumer<Exception> handler) {
        errorHandlers.add(handler);
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
            if (listener.once() && !registered.remove(listener)) {
                continue;
            }
            try {
                listener.handler().handle(args, ack);
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
