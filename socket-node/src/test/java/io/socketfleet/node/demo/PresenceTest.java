package io.socketfleet.node.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Presence over a store: this node's count is written with an expiry, everyone's is read back sorted. */
class PresenceTest {

    /** A store in memory; {@code down} makes every call fail, as Redis being away does. */
    private static final class MemoryStore implements PresenceStore {
        final Map<String, Integer> counts = new HashMap<>();
        Duration lastTtl;
        boolean down;

        @Override
        public void write(String node, int clients, Duration ttl) {
            check();
            counts.put(node, clients);
            lastTtl = ttl;
        }

        @Override
        public Map<String, Integer> readAll() {
            check();
            return Map.copyOf(counts);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("store unreachable");
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void writesThisNodeAndListsEveryNodeByName() {
        MemoryStore store = new MemoryStore();
        store.counts.put("n3", 7);
        store.counts.put("n1", 2);
        Presence presence = new Presence("n2", Optional.of(store), () -> 5);

        assertEquals(List.of(new Presence.NodeCount("n1", 2), new Presence.NodeCount("n2", 5), new Presence.NodeCount("n3", 7)),
                presence.refresh());
        assertEquals(Duration.ofSeconds(15), store.lastTtl, "an entry outlives several refreshes, not a dead node");
    }

    @Test
    void withoutAReachableStoreOnlyThisNodeIsKnown() {
        MemoryStore store = new MemoryStore();
        store.counts.put("n1", 2);
        store.down = true;
        assertEquals(List.of(new Presence.NodeCount("n2", 5)), new Presence("n2", Optional.of(store), () -> 5).refresh());
        assertEquals(List.of(new Presence.NodeCount("n2", 3)), new Presence("n2", Optional.empty(), () -> 3).refresh());
    }
}
