package io.socketfleet.node.adapter;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The requests this node waits on answers for, by request id: routes each reply that comes
 * to the handlers registered for its kind, and forgets a request once its result is done.
 * Collected to requests it does not know (finished, or another node's) are ignored.
 */
final class PendingRequests {

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Handler<R extends ClusterReply>(Class<R> type, Consumer<R> consumer) {
        void offer(ClusterReply reply) {
            if (type.isInstance(reply)) {
                consumer.accept(type.cast(reply));
            }
        }
    }

    private final Map<String, List<Handler<?>>> handlers = new ConcurrentHashMap<>();

    /** A fresh request id: 64 random bits in hex. */
    static String newRequestId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Hands replies of this kind to {@code consumer} until {@code done} completes. */
    <R extends ClusterReply> void expect(String requestId, Class<R> type, Consumer<R> consumer, CompletableFuture<?> done) {
        handlers.computeIfAbsent(requestId, id -> new CopyOnWriteArrayList<>()).add(new Handler<>(type, consumer));
        done.whenComplete((value, error) -> handlers.remove(requestId));
    }

    void dispatch(ClusterReply reply) {
        List<Handler<?>> forRequest = handlers.get(reply.requestId());
        if (forRequest != null) {
            forRequest.forEach(handler -> handler.offer(reply));
        }
    }

    int size() {
        return handlers.size();
    }
}
