package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** socket.io-adapter's SessionAwareAdapter semantics, on a clock the test moves. */
class InMemorySessionAdapterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FakeSockets sockets = new FakeSockets();
    private final InMemorySessionAdapter adapter = new InMemorySessionAdapter("/", sockets, Duration.ofSeconds(60), now::get);
    private final List<BroadcastPacket> delivered = new AbstractList<>() {
        @Override
        public BroadcastPacket get(int index) {
            return sockets.deliveries.get(index).packet();
        }

        @Override
        public int size() {
            return sockets.deliveries.size();
        }
    };

    private static BroadcastPacket event(String name) {
        return new BroadcastPacket("/", JsonNodeFactory.instance.arrayNode().add(name));
    }

    private static BroadcastOptions to(String... rooms) {
        return new BroadcastOptions(Set.of(rooms), Set.of(), false);
    }

    private final Session alice = new Session("alice-sid", "alice-pid", List.of("alice-sid", "r1"),
            JsonNodeFactory.instance.objectNode().put("name", "alice"));

    @Test
    void broadcastsCarryIncreasingOffsetsAppendedToTheirData() {
        adapter.join("alice-sid", "r1");
        adapter.broadcast(event("a"), to("r1"));
        adapter.broadcast(event("b"), to("r1"));

        assertEquals(2, delivered.size());
        String first = delivered.get(0).offset();
        String second = delivered.get(1).offset();
        assertTrue(Offsets.compare(first, second) < 0);
        assertEquals("[\"a\",\"" + first + "\"]", delivered.get(0).data().toString());
    }

    @Test
    void aKeptSessionComesBackOnceWithWhatItsRoomsMissed() {
        adapter.join("alice-sid", "r1");
        adapter.broadcast(event("seen"), to("r1"));
        String offset = delivered.get(0).offset();
        adapter.leaveAll("alice-sid");
        adapter.persistSession(alice);
        adapter.broadcast(event("for r1"), to("r1"));
        adapter.broadcast(event("for r2"), to("r2"));
        adapter.broadcast(event("for all but r1"), new BroadcastOptions(Set.of(), Set.of("r1"), false));
        adapter.broadcast(event("for all"), to());

        Optional<Session> back = adapter.takeSession("alice-pid", offset).join();
        assertEquals(Optional.of(alice), back);
        List<String> missed = adapter.missedPackets(alice, offset).join().stream().map(p -> p.data().get(0).asText()).toList();
        assertEquals(List.of("for r1", "for all"), missed);
        assertEquals(Optional.empty(), adapter.takeSession("alice-pid", offset).join(), "taken once");
    }

    @Test
    void nothingComesBackAfterTheWindowOrForAnOffsetNoLongerKept() {
        adapter.join("alice-sid", "r1");
        adapter.broadcast(event("seen"), to());
        String offset = delivered.get(0).offset();
        adapter.persistSession(alice);
        now.addAndGet(61_000);
        assertEquals(Optional.empty(), adapter.takeSession("alice-pid", offset).join(), "window passed");

        adapter.persistSession(alice);
        assertEquals(Optional.empty(), adapter.takeSession("alice-pid", "1-0").join(), "unknown offset");
    }
}
