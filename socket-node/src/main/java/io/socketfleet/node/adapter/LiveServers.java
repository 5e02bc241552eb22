package io.socketfleet.node.adapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The other servers of a namespace's cluster as {@code ClusterAdapterWithHeartbeat} tracks them:
 * a server is live from any message it sends until it closes its adapter or stays silent for
 * the heartbeat timeout (10 s by default; servers publish a heartbeat after 5 s of silence, and
 * answer an initial heartbeat at once). The server count is these plus this one. Pending requests
 * listen for removals, so a request waiting on a server that went away completes without it.
 * Time comes from the clock handed in, so the rules are testable without waiting.
 */
public final class LiveServers {

    /** socket.io-adapter's defaults. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

    /** The uid the Node emitter (@socket.io/*-emitter) sends as; it is no server. */
    static final String EMITTER_UID = "emitter";

    private final long timeoutMillis;
    private final LongSupplier clockMillis;
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final List<Consumer<String>> removalListeners = new CopyOnWriteArrayList<>();

    public LiveServers(Duration heartbeatTimeout, LongSupplier clockMillis) {
        this.timeoutMillis = heartbeatTimeout.toMillis();
        this.clockMillis = clockMillis;
    }

    public static LiveServers withDefaults() {
        return new LiveServers(DEFAULT_HEARTBEAT_TIMEOUT, System::currentTimeMillis);
    }

    /**
     * Records a message from another server: it is live now. An {@code ADAPTER_CLOSE} removes it
     * instead. Messages from the emitter are not counted.
     */
    public void heard(ClusterMessage message) {
        if (message.type() == ClusterMessageType.ADAPTER_CLOSE) {
            remove(message.uid());
        } else if (!EMITTER_UID.equals(message.uid())) {
            synchronized (this) {
                lastSeen.put(message.uid(), clockMillis.getAsLong());
            }
        }
    }

    /** Forgets the servers silent for longer than the timeout; run every second or so. */
    public void expire() {
        long now = clockMillis.getAsLong();
        List<String> silent = new ArrayList<>();
        synchronized (this) {
            lastSeen.forEach((uid, seen) -> {
                if (now - seen > timeoutMillis) {
                    silent.add(uid);
                }
            });
        }
        silent.forEach(this::remove);
    }

    /** Forgets a server and tells the listeners. */
    public void remove(String uid) {
        boolean removed;
        synchronized (this) {
            removed = lastSeen.remove(uid) != null;
        }
        if (removed) {
            removalListeners.forEach(listener -> listener.accept(uid));
        }
    }

    /** The uids of the other live servers: the answers a request to all of them waits for. */
    public synchronized Set<String> others() {
        return Set.copyOf(lastSeen.keySet());
    }

    /** The live servers including this one. */
    public synchronized int serverCount() {
        return 1 + lastSeen.size();
    }

    /** Called with the uid of every server that is removed (closed or silent). */
    public void onRemoved(Consumer<String> listener) {
        removalListeners.add(listener);
    }
}
