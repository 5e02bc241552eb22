package io.socketfleet.node.adapter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Connection state recovery on a single node (socket.io-adapter's {@code SessionAwareAdapter}):
 * every broadcast is kept for the recovery window under an offset, and the session of a socket
 * that left in a recoverable way is kept as long. Nothing survives the node, so a fleet needs
 * the Redis streams adapter instead.
 */
public final class InMemorySessionAdapter extends Adapter {

    private record Kept(Session session, long disconnectedAt) {
    }

    private record Stored(BroadcastPacket packet, BroadcastOptions options, long emittedAt) {
    }

    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, Kept> sessions = new HashMap<>();
    private final ArrayDeque<Stored> packets = new ArrayDeque<>();
    private long lastMillis;
    private long sequence;

    public InMemorySessionAdapter(String namespace, LocalSockets sockets, Duration window, LongSupplier clock) {
        super(namespace, sockets);
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Every namespace on this node with its own store, recovery window {@code window}. */
    public static AdapterFactory factory(Duration window) {
        return (namespace, sockets) -> new InMemorySessionAdapter(namespace, sockets, window, System::currentTimeMillis);
    }

    @Override
    public boolean recoversSessions() {
        return true;
    }

    /** Stores, then delivers under the same lock, so sockets get broadcasts in offset order. */
    @Override
    public synchronized void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        long now = clock.getAsLong();
        forgetOlderThan(now - windowMillis);
        BroadcastPacket stored = packet.withOffset(nextOffset(now));
        packets.addLast(new Stored(stored, options, now));
        deliverLocally(stored, options);
    }

    private String nextOffset(long now) {
        if (now > lastMillis) {
            lastMillis = now;
            sequence = 0;
        } else {
            sequence++;
        }
        return lastMillis + "-" + sequence;
    }

    @Override
    public synchronized void persistSession(Session session) {
        long now = clock.getAsLong();
        forgetOlderThan(now - windowMillis);
        sessions.put(session.pid(), new Kept(session, now));
    }

    @Override
    public synchronized void discardSession(String pid) {
        sessions.remove(pid);
    }

    @Override
    public synchronized CompletableFuture<Optional<Session>> takeSession(String pid, String offset) {
        Kept kept = sessions.remove(pid);
        boolean live = kept != null && kept.disconnectedAt() + windowMillis >= clock.getAsLong();
        boolean offsetKept = packets.stream().anyMatch(p -> p.packet().offset().equals(offset));
        return CompletableFuture.completedFuture(live && offsetKept ? Optional.of(kept.session()) : Optional.empty());
    }

    @Override
    public synchronized CompletableFuture<List<BroadcastPacket>> missedPackets(Session session, String offset) {
        List<BroadcastPacket> missed = new ArrayList<>();
        for (Stored stored : packets) {
            if (Offsets.compare(stored.packet().offset(), offset) > 0 && session.reachedBy(stored.options())) {
                missed.add(stored.packet());
            }
        }
        return CompletableFuture.completedFuture(missed);
    }

    private void forgetOlderThan(long threshold) {
        while (!packets.isEmpty() && packets.peekFirst().emittedAt() < threshold) {
            packets.removeFirst();
        }
        for (Iterator<Kept> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().disconnectedAt() < threshold) {
                it.remove();
            }
        }
    }
}
