package io.socketfleet.node.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The sessions of this node's connected sockets as kept in Redis for recovery, so the clients of
 * a node that is killed recover too: written when a socket connects or changes rooms, refreshed
 * while it lives, written once more for the recovery window when it leaves in a way it may come
 * back from, and all at once when the node drains.
 *
 * <p>A node only ever writes over a value it wrote itself. A client may be back on another node
 * before this one notices it left (a dead connection is found by the ping timeout); that node
 * took the session and writes its own, and a late write from here — a refresh, the
 * write on the old socket's close — must neither bring the old one back nor overwrite the new
 * one. Once a compare fails the session is <em>lost</em> to this node, which stops writing it.
 */
final class LiveSessions {

    private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

    private final SessionStore store;
    private final Function<Session, String> encoder;
    private final long liveTtlMillis;
    private final long windowMillis;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();

    private record Written(long seq, String value) {
    }

    /** A connected socket's session and what this node wrote for it. All fields guarded by the instance. */
    private static final class Tracked {
        final Supplier<Session> current;
        /**
         * The values this node may find in Redis, oldest first: the last one a write confirmed, then
         * those written since, whose outcome is not known yet (or never will be: a write that failed
         * on the way may or may not have reached Redis). Empty before the first write.
         */
        final ArrayDeque<Written> ours = new ArrayDeque<>(2);
        long writes;
        boolean lost;

        List<String> values() {
            return ours.stream().map(Written::value).distinct().toList();
        }

        Tracked(Supplier<Session> current) {
            this.current = current;
        }
    }

    /**
     * @param liveTtlMillis how long a live socket's session lasts unrefreshed (longer than the refresh interval)
     * @param windowMillis  the recovery window: how long a session lasts once its socket left
     */
    LiveSessions(SessionStore store, Function<Session, String> encoder, long liveTtlMillis, long windowMillis) {
        this.store = store;
        this.encoder = encoder;
        this.liveTtlMillis = liveTtlMillis;
        this.windowMillis = windowMillis;
    }

    /**
     * A socket connected (or was recovered here, its session just taken out of Redis): written at
     * once, over whatever is there.
     */
    void opened(String pid, Supplier<Session> current) {
        Tracked session = new Tracked(current);
        tracked.put(pid, session);
        write(pid, session, liveTtlMillis);
    }

    /** The socket's rooms changed. */
    void changed(String pid) {
        Tracked session = tracked.get(pid);
        if (session != null) {
            write(pid, session, liveTtlMillis);
        }
    }

    /** Writes every live session again, before its time to live runs out. */
    void refreshAll() {
        tracked.forEach((pid, session) -> write(pid, session, liveTtlMillis));
    }

    /**
     * Writes every live session as it is now (a drain, before any transport closes): completes
     * when Redis has taken them all, or failed to.
     */
    CompletableFuture<Void> writeAll() {
        List<CompletableFuture<Boolean>> writes = new ArrayList<>(tracked.size());
        tracked.forEach((pid, session) -> writes.add(write(pid, session, liveTtlMillis)));
        return CompletableFuture.allOf(writes.stream()
                .map(w -> w.handle((written, error) -> null))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * The socket left in a way it may come back from: its session is written for the recovery
     * window, unless another node has taken it. {@code session} may also be one this node took
     * out of Redis for a client that was gone again before it was restored: put back as it was.
     */
    void left(Session session) {
        Tracked live = tracked.remove(session.pid());
        if (live == null) {
            submit(session.pid(), List.of(), encoder.apply(session), windowMillis);
            return;
        }
        synchronized (live) {
            if (!live.lost) {
                write(session.pid(), live, encoder.apply(session), windowMillis);
            }
        }
    }

    /** The socket left for good: its session goes, if it is still this node's. */
    void discarded(String pid) {
        Tracked live = tracked.remove(pid);
        if (live == null) {
            return;
        }
        synchronized (live) {
            if (!live.lost && !live.ours.isEmpty()) {
                store.deleteSession(pid, live.values());
            }
        }
    }

    /** How many sessions this node keeps live (for tests). */
    int size() {
        return tracked.size();
    }

    private CompletableFuture<Boolean> write(String pid, Tracked session, long ttlMillis) {
        // Read under the lock, so writes go to Redis in the order of the states they carry.
        synchronized (session) {
            if (session.lost) {
                return CompletableFuture.completedFuture(false);
            }
            String value;
            try {
                value = encoder.apply(session.current.get());
            } catch (RuntimeException e) {
                log.warn("could not encode session {}: {}", pid, e.toString());
                return CompletableFuture.completedFuture(false);
            }
            return write(pid, session, value, ttlMillis);
        }
    }

    /** Submitted under the session's lock, so the writer applies them in the order {@code ours} assumes. */
    private CompletableFuture<Boolean> write(String pid, Tracked session, String value, long ttlMillis) {
        CompletableFuture<Boolean> written = submit(pid, session.values(), value, ttlMillis);
        Written mine = new Written(session.writes++, value);
        if (!session.ours.isEmpty() && session.ours.peekLast().value().equals(value)) {
            session.ours.removeLast(); // the same value again (a refresh): one entry, so the list stays short
        }
        session.ours.addLast(mine);
        return written.whenComplete((ok, error) -> {
            synchronized (session) {
                if (error != null) {
                    // Maybe written, maybe not: both this value and the ones before stay acceptable.
                    return;
                }
                if (ok) {
                    // Confirmed: what this node wrote before it can no longer be there.
                    while (!session.ours.isEmpty() && session.ours.peekFirst().seq() < mine.seq()) {
                        session.ours.removeFirst();
                    }
                } else {
                    // Someone else took it (the client is back elsewhere): this node stops writing it.
                    session.lost = true;
                    session.ours.clear();
                }
            }
        });
    }

    private CompletableFuture<Boolean> submit(String pid, List<String> expected, String value, long ttlMillis) {
        return store.writeSession(pid, expected, value, ttlMillis);
    }
}
