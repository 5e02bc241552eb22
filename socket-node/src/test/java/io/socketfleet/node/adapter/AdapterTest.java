package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room targeting of one namespace on one node, as socket.io-adapter's own tests check it:
 * sockets "a", "b", "c", each in the room of its own id (as every socket is), "a" and "b" in
 * "red", "b" and "c" in "blue".
 */
class AdapterTest {

    private final FakeSockets sockets = new FakeSockets();
    private final List<FakeSockets.Delivery> deliveries = sockets.deliveries;
    private final Adapter adapter = new Adapter("/", sockets);
    private final BroadcastPacket news = new BroadcastPacket("/", JsonNodeFactory.instance.arrayNode().add("news"));

    @BeforeEach
    void joinRooms() {
        sockets.attach(adapter);
        for (String id : List.of("a", "b", "c")) {
            adapter.join(id, id);
        }
        adapter.join("a", "red");
        adapter.join("b", "red");
        adapter.join("b", "blue");
        adapter.join("c", "blue");
    }

    private static BroadcastOptions to(Set<String> rooms, Set<String> except) {
        return new BroadcastOptions(rooms, except, false);
    }

    /** Broadcasts once and returns whom it reached, checking it was handed over in one delivery. */
    private Set<String> reached(BroadcastOptions options) {
        deliveries.clear();
        adapter.broadcast(news, options);
        if (deliveries.isEmpty()) {
            return Set.of();
        }
        assertEquals(1, deliveries.size(), "one delivery per broadcast, each target in it once");
        assertEquals(news, deliveries.get(0).packet());
        return deliveries.get(0).socketIds();
    }

    @Test
    void noRoomsMeansEverySocket() {
        assertEquals(Set.of("a", "b", "c"), reached(to(Set.of(), Set.of())));
    }

    @Test
    void aRoomReachesItsMembers() {
        assertEquals(Set.of("a", "b"), reached(to(Set.of("red"), Set.of())));
    }

    @Test
    void severalRoomsReachTheirUnionAndASocketInBothOnce() {
        assertEquals(Set.of("a", "b", "c"), reached(to(Set.of("red", "blue"), Set.of())));
    }

    @Test
    void exceptLeavesOutEveryMemberOfThoseRooms() {
        assertEquals(Set.of("a"), reached(to(Set.of(), Set.of("blue"))));
        assertEquals(Set.of("a"), reached(to(Set.of("red"), Set.of("blue"))));
        assertEquals(Set.of(), reached(to(Set.of("red"), Set.of("red"))));
    }

    @Test
    void aSocketIdIsARoomOfOne() {
        assertEquals(Set.of("b"), reached(to(Set.of("b"), Set.of())));
        // socket.broadcast(): everyone but the sender
        assertEquals(Set.of("b", "c"), reached(to(Set.of(), Set.of("a"))));
        assertEquals(Set.of("b"), reached(to(Set.of("red"), Set.of("a"))));
    }

    @Test
    void anEmptyOrUnknownRoomDeliversNothing() {
        assertEquals(Set.of(), reached(to(Set.of("green"), Set.of())));
        assertTrue(deliveries.isEmpty(), "nothing handed over when no socket is targeted");
    }

    @Test
    void theLocalFlagStillReachesThisNode() {
        assertEquals(Set.of("a", "b"), reached(new BroadcastOptions(Set.of("red"), Set.of(), true)));
    }

    @Test
    void leavingChangesTargetsAndEmptyRoomsDisappear() {
        adapter.leave("a", "red");
        assertEquals(Set.of("b"), reached(to(Set.of("red"), Set.of())));
        assertEquals(Set.of("a"), adapter.rooms("a"));
        assertEquals(Set.of("b", "red", "blue"), adapter.rooms("b"));

        adapter.leaveAll("b");
        assertFalse(adapter.hasRoom("red"), "a room without members is gone");
        assertTrue(adapter.hasRoom("blue"));
        assertEquals(Set.of(), adapter.rooms("b"));
        assertEquals(Set.of("a", "c"), reached(to(Set.of(), Set.of())));
    }

    @Test
    void aSocketThatLeftItsOwnRoomIsNotReachedThroughItButStillByEveryone() {
        adapter.leave("a", "a");
        assertEquals(Set.of(), reached(to(Set.of("a"), Set.of())));
        assertFalse(adapter.hasRoom("a"));
        assertEquals(Set.of("red"), adapter.rooms("a"));
        assertEquals(Set.of("a", "b", "c"), reached(to(Set.of(), Set.of())));
        adapter.join("a", "a");
        assertEquals(Set.of("a"), reached(to(Set.of("a"), Set.of())));
        assertEquals(Set.of("a", "red"), adapter.rooms("a"));
    }

    @Test
    void aSocketInNoRoomButItsOwnHasNoRoomSetsAndStillCountsAsASocket() {
        adapter.join("d", "d");
        assertEquals(Set.of("d"), adapter.rooms("d"));
        assertTrue(adapter.hasRoom("d"));
        assertEquals(Set.of("a", "b", "c", "d"), reached(to(Set.of(), Set.of())));
        assertEquals(Set.of("d"), reached(to(Set.of("d"), Set.of())));
        adapter.leaveAll("d");
        assertFalse(adapter.hasRoom("d"));
    }

    @Test
    void joinAndLeaveListenersHearEachMembershipChangeOnce() {
        List<String> events = new ArrayList<>();
        Adapter watched = new Adapter("/", new FakeSockets());
        watched.onJoin((room, id) -> events.add("join " + room + " " + id));
        watched.onLeave((room, id) -> events.add("leave " + room + " " + id));
        watched.join("a", "a");
        watched.join("a", "a");
        watched.join("a", "red");
        watched.join("a", "red");
        watched.join("b", "red");
        watched.leave("a", "red");
        watched.leave("a", "red");
        watched.leave("a", "blue");
        watched.join("a", "blue");
        watched.leaveAll("a");
        assertEquals(List.of("join a a", "join red a", "join red b", "leave red a", "join blue a", "leave a a",
                "leave blue a"), events);
    }

    @Test
    void roomEventsCountASocketsOwnRoomThoughItHasNoSetOfItsOwn() {
        List<String> events = new ArrayList<>();
        Adapter watched = new Adapter("/", new FakeSockets()) {
            @Override
            protected void roomCreated(String room, boolean socketsOwnRoom) {
                events.add("create " + room + (socketsOwnRoom ? " (own)" : ""));
            }

            @Override
            protected void roomDeleted(String room) {
                events.add("delete " + room);
            }
        };
        watched.join("a", "a");
        watched.join("a", "a");
        watched.join("a", "red");
        watched.leave("a", "a");
        watched.join("a", "a");
        watched.leaveAll("a");
        assertEquals(List.of("create a (own)", "create red", "delete a", "create a (own)", "delete a", "delete red"), events);
        assertEquals(Set.of(), watched.localRooms());
    }
}
