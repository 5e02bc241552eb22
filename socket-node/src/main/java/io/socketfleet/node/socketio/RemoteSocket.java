package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.adapter.SocketDetails;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A socket of the fleet as {@code fetchSockets()} returns it, on this node or another (Node
 * socket.io servers on the same Redis included): a snapshot of its id, handshake, rooms and
 * data, and the operations that reach it wherever it is connected.
 * <pre>{@code
 * io.in("room1").fetchSockets().thenAccept(sockets -> sockets.forEach(s -> {
 *     if (s.data().path("banned").asBoolean()) s.disconnect(true);
 * }));
 * }</pre>
 */
public final class RemoteSocket {

    private final Namespace namespace;
    private final SocketDetails details;

    RemoteSocket(Namespace namespace, SocketDetails details) {
        this.namespace = namespace;
        this.details = details;
    }

    public String id() {
        return details.id();
    }

    /** The handshake as socket.io sends it between servers: headers, time, address, issued, url, query, auth… */
    public JsonNode handshake() {
        return details.handshake();
    }

    /** The rooms it was in when fetched, its own id included. */
    public Set<String> rooms() {
        return details.rooms();
    }

    /** Its {@code data} when fetched, as JSON. */
    public JsonNode data() {
        return details.data();
    }

    public void emit(String event, Object... args) {
        operator().emit(event, args);
    }

    /** Emits and completes with the first argument of its ack; a TimeoutException when none comes in time. */
    public CompletableFuture<JsonNode> emitWithAck(Duration timeout, String event, Object... args) {
        return operator().timeout(timeout).emitWithAck(event, args).thenCompose(replies -> replies.values().isEmpty()
                ? CompletableFuture.failedFuture(new TimeoutException("no ack from " + id() + " within " + timeout))
                : CompletableFuture.completedFuture(replies.values().get(0)));
    }

    public void join(String... rooms) {
        operator().socketsJoin(rooms);
    }

    public void leave(String... rooms) {
        operator().socketsLeave(rooms);
    }

    /** Disconnects it from the namespace; with {@code close}, closes its connection too. */
    public void disconnect(boolean close) {
        operator().disconnectSockets(close);
    }

    public void disconnect() {
        disconnect(false);
    }

    private BroadcastOperator operator() {
        return new BroadcastOperator(namespace).to(details.id());
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + namespace.name() + " " + id() + "]";
    }
}
