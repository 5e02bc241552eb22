package io.socketfleet.node;

import java.time.Duration;

/**
 * How broadcasts cross the fleet and whether clients can recover their sessions.
 *
 * @param streams                  true for the streams adapter (a bounded, ordered log of broadcasts: a Redis
 *                                 stream, or memory on a node without Redis), false for pub/sub
 * @param maxDisconnectionDuration the recovery window with streams; zero turns recovery off
 * @param streamMaxLen             about how many broadcasts the log keeps (XADD MAXLEN ~)
 */
public record AdapterSettings(boolean streams, Duration maxDisconnectionDuration, long streamMaxLen) {

    public static AdapterSettings pubSub() {
        return new AdapterSettings(false, Duration.ofMinutes(2), 10_000);
    }

    /** The streams adapter with connection state recovery for {@code window}. */
    public static AdapterSettings streams(Duration window) {
        return new AdapterSettings(true, window, 10_000);
    }

    /** Whether sockets can come back after losing their connection. */
    public boolean recovers() {
        return streams && !maxDisconnectionDuration.isZero();
    }

    public String mode() {
        return streams ? "streams" : "pubsub";
    }
}
