package io.socketfleet.node.socketio;

import io.socketfleet.node.adapter.Collected;

import java.util.List;

/**
 * The answers to an emit with acks that reached several clients or servers:
 * {@code complete} when every client (or server) reached answered, false when the timeout
 * came first — then {@code values} holds the answers that did come. A client that never
 * acknowledges, or a server that died after it got the request, costs the wait, not the other
 * answers (Node rejects with {@code err.responses} there; the answers are the same).
 * <pre>{@code
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("vote").thenAccept(replies -> {
 *     if (!replies.complete()) log.info("only {} voted in time", replies.values().size());
 * });
 * }</pre>
 */
public record Replies<T>(List<T> values, boolean complete) {

    public Replies {
        values = List.copyOf(values);
    }

    static <T> Replies<T> of(Collected<T> collected) {
        return new Replies<>(collected.values(), collected.complete());
    }
}
