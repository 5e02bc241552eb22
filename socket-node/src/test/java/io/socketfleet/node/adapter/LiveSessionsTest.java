package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Who may write a session: the node that last wrote it, and no node once another has taken it —
 * with the store's writes held back and released in order, as a busy Redis connection does.
 */
class LiveSessionsTest {

    /** Sessions as Redis keeps them under the compare-and-set scripts; writes wait until {@link #release}d. */
    private static final class HeldStore implements SessionStore {
        final Map<String, String> values = new HashMap<>();
        final List<Runnable> queued = new ArrayList<>();
        boolean failNext;

        @Override
        public CompletableFuture<Boolean> writeSession(String pid, List<String> expected, String value, long ttlMillis) {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            boolean fail = failNext;
            failNext = false;
            queued.add(() -> {
                if (fail) {
                    done.completeExceptionally(new IllegalStateException("Redis timed out"));
                    return;
                }
                boolean write = expected.isEmpty() || expected.contains(values.get(pid));
                if (write) {
                    values.put(pid, value);
                }
                done.complete(write);
            });
            return done;
        }

        @Override
        public void deleteSession(String pid, List<String> expected) {
            queued.add(() -> {
                if (expected.contains(values.get(pid))) {
                    values.remove(pid);
                }
            });
        }

        /** Another node takes it (a Node peer deletes it as it reads it). */
        String take(String pid) {
            return values.remove(pid);
        }

        void release() {
            List<Runnable> now = new ArrayList<>(queued);
            queued.clear();
            now.forEach(Runnable::run);
        }
    }

    private final HeldStore store = new HeldStore();
    private final LiveSessions sessions = new LiveSessions(store, s -> String.join(",", s.rooms()) + "|" + s.data(), 140_000, 120_000);

    private static Session session(String... rooms) {
        return new Session("sid", "pid", List.of(rooms), JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aLateWriteNeverBringsBackASessionAnotherNodeTook() {
        AtomicReference<Session> now = new AtomicReference<>(session("sid", "r1"));
        sessions.opened("pid", now::get);
        store.release();
        assertEquals("sid,r1|{}", store.values.get("pid"));

        assertEquals("sid,r1|{}", store.take("pid")); // the client is back on another node
        sessions.refreshAll();
        store.release();
        assertNull(store.values.get("pid"), "the refresh found it gone and wrote nothing");

        store.values.put("pid", "the other node's");
        now.set(session("sid", "r1", "r2"));
        sessions.changed("pid");
        sessions.left(now.get()); // the old socket closes at last (ping timeout)
        store.release();
        assertEquals("the other node's", store.values.get("pid"), "lost to this node: it stops writing it");
    }

    @Test
    void writesQueuedBehindOneAnotherAllCount() {
        AtomicReference<Session> now = new AtomicReference<>(session("sid"));
        sessions.opened("pid", now::get);
        now.set(session("sid", "r1"));
        sessions.changed("pid");
        now.set(session("sid", "r1", "r2"));
        sessions.left(now.get()); // all three queued before Redis ran the first
        store.release();
        assertEquals("sid,r1,r2|{}", store.values.get("pid"));
    }

    @Test
    void aWriteThatFailedOnTheWayDoesNotMakeTheSessionLost() {
        AtomicReference<Session> now = new AtomicReference<>(session("sid"));
        sessions.opened("pid", now::get);
        store.release();
        now.set(session("sid", "r1"));
        store.failNext = true; // maybe written, maybe not
        sessions.changed("pid");
        store.release();
        now.set(session("sid", "r1", "r2"));
        sessions.changed("pid");
        store.release();
        assertEquals("sid,r1,r2|{}", store.values.get("pid"), "the next write still finds a value of this node's");
    }

    @Test
    void aDrainWritesEveryLiveSessionAsItIsNow() {
        AtomicReference<Session> now = new AtomicReference<>(session("sid"));
        sessions.opened("pid", now::get);
        store.release();
        now.set(session("sid", "joined-without-a-write"));
        CompletableFuture<Void> written = sessions.writeAll();
        store.release();
        assertEquals(true, written.isDone());
        assertEquals("sid,joined-without-a-write|{}", store.values.get("pid"));
    }

    @Test
    void aSessionTakenForAClientGoneAgainIsPutBack() {
        sessions.left(session("sid", "r1")); // never live here: the node took it, the client left meanwhile
        store.release();
        assertEquals("sid,r1|{}", store.values.get("pid"));
    }

    @Test
    void leavingForGoodDeletesOnlyThisNodesValue() {
        AtomicReference<Session> now = new AtomicReference<>(session("sid"));
        sessions.opened("pid", now::get);
        store.release();
        sessions.discarded("pid");
        store.release();
        assertNull(store.values.get("pid"));

        sessions.opened("pid", now::get);
        store.release();
        store.values.put("pid", "the other node's");
        sessions.discarded("pid");
        store.release();
        assertEquals("the other node's", store.values.get("pid"));
    }
}
