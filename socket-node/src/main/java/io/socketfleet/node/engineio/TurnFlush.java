package io.socketfleet.node.engineio;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Flushes, once per event-loop turn, every websocket written to during it: packets that reach one
 * socket in the same turn (a broadcast and an ack, several broadcasts handed over together, a handler
 * emitting twice) leave in one system call, and a broadcast's per-loop task writes all its recipients
 * before the first flush. One per event-loop thread, used only on it.
 */
final class TurnFlush implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TurnFlush.class);

    private static final FastThreadLocal<TurnFlush> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected TurnFlush initialValue() {
            return new TurnFlush();
        }
    };

    private List<WebSocketTransport> pending = new ArrayList<>();
    private List<WebSocketTransport> flushing = new ArrayList<>();

    private TurnFlush() {
    }

    /** Flushes {@code transport} once the tasks of this turn of {@code loop} (the calling thread's) have run. */
    static void later(EventLoop loop, WebSocketTransport transport) {
        TurnFlush turn = PER_LOOP.get();
        if (turn.pending.isEmpty()) {
            loop.execute(turn);
        }
        turn.pending.add(transport);
    }

    @Override
    public void run() {
        // Swapped first: what a flush sets off (a failed write closing a channel) belongs to the next turn.
        List<WebSocketTransport> now = pending;
        pending = flushing;
        flushing = now;
        try {
            for (WebSocketTransport transport : now) {
                try {
                    transport.flushNow();
                } catch (RuntimeException e) {
                    // One channel's failure must not keep the others' bytes back.
                    log.debug("flush failed", e);
                }
            }
        } finally {
            // Emptied whatever happened: a list left holding stale entries would never schedule a turn again.
            now.clear();
        }
    }
}
