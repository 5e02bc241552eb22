package io.socketfleet.node.adapter;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ClusterAdapterWithHeartbeat}'s side of the heartbeat for one namespace: an
 * {@code INITIAL_HEARTBEAT} at start (the others answer, so this node learns who is there at
 * once), a {@code HEARTBEAT} after every interval in which it published nothing, an answer to
 * another node's initial heartbeat, an {@code ADAPTER_CLOSE} at the end, and the sweep that
 * expires silent servers from its {@link LiveServers}. The transport is the {@code publish} hook.
 */
public final class ClusterHeartbeat implements AutoCloseable {

    private final String uid;
    private final String nsp;
    private final Consumer<ClusterMessage> publish;
    private final LiveServers servers;
    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final ScheduledFuture<?> sweep;
    private ScheduledFuture<?> next;
    private boolean closed;

    public ClusterHeartbeat(String uid, String nsp, LiveServers servers, Duration interval,
                            ScheduledExecutorService scheduler, Consumer<ClusterMessage> publish) {
        this.uid = uid;
        this.nsp = nsp;
        this.servers = servers;
        this.interval = interval;
        this.scheduler = scheduler;
        this.publish = publish;
        this.sweep = scheduler.scheduleWithFixedDelay(servers::expire, 1, 1, TimeUnit.SECONDS);
    }

    /** Announces this node; every other node answers with a heartbeat. */
    public void start() {
        send(new ClusterMessage.InitialHeartbeat());
    }

    /** Call for every message this node publishes in the namespace: it pushes the next heartbeat back. */
    public synchronized void published() {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = scheduler.schedule(() -> send(new ClusterMessage.Heartbeat()), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Call for every message from another node: it counts the sender as live and answers an initial heartbeat. */
    public void received(ClusterMessage message) {
        if (message.uid().equals(uid)) {
            return;
        }
        servers.heard(message);
        if (message.type() == ClusterMessageType.INITIAL_HEARTBEAT) {
            send(new ClusterMessage.Heartbeat());
        }
    }

    private void send(ClusterMessage.Body body) {
        published();
        publish.accept(new ClusterMessage(uid, nsp, body));
    }

    /** Says goodbye, so the others stop counting this node at once, and stops the timers. */
    @Override
    public void close() {
        publish.accept(new ClusterMessage(uid, nsp, new ClusterMessage.AdapterClose()));
        synchronized (this) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        sweep.cancel(false);
    }
}
