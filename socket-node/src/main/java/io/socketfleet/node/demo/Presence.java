package io.socketfleet.node.demo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Fleet presence: each node writes its client count to the store under an entry that
 * expires, so a node that dies disappears by itself; any node can list them all. Without a
 * store (no Redis), or while it is unreachable, only this node is known.
 */
final class Presence {

    private static final Duration TTL = Duration.ofSeconds(15);

    /** One node and how many clients it holds. */
    record NodeCount(String node, int clients) {
    }

    private final String nodeName;
    private final Optional<PresenceStore> store;
    private final IntSupplier localClients;

    Presence(String nodeName, Optional<PresenceStore> store, IntSupplier localClients) {
        this.nodeName = nodeName;
        this.store = store;
        this.localClients = localClients;
    }

    /** Publishes this node's count and reads everyone's; falls back to this node alone if the store is away. */
    List<NodeCount> refresh() {
        int mine = localClients.getAsInt();
        if (store.isEmpty()) {
            return List.of(new NodeCount(nodeName, mine));
        }
        try {
            store.get().write(nodeName, mine, TTL);
            return new TreeMap<>(store.get().readAll()).entrySet().stream()
                    .map(e -> new NodeCount(e.getKey(), e.getValue()))
                    .toList();
        } catch (RuntimeException e) {
            return List.of(new NodeCount(nodeName, mine));
        }
    }
}
