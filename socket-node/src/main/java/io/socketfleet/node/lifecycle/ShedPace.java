package io.socketfleet.node.lifecycle;

import java.util.random.RandomGenerator;

/**
 * When the rebalancer closes its next session: one close per slot of {@code 1 / rate} seconds (a
 * few per 1 ms slot above 1,000 a second), at a random moment of its slot, so the clients do not
 * reconnect in lock-step. Each slot starts no earlier than the previous one's end and no earlier
 * than the close before it, and a timer that runs late skips slots rather than catching up: so a
 * close always falls between its slot's start and the next slot's start, and no second holds more
 * than {@code rate} closes plus one slot's worth, however late the timer runs.
 */
final class ShedPace {

    private final long slotNanos;
    private final int perSlot;
    private long slotStart;

    ShedPace(int sessionsPerSecond, long nowNanos) {
        this.perSlot = Math.max(1, (sessionsPerSecond + 999) / 1000);
        this.slotNanos = 1_000_000_000L * perSlot / sessionsPerSecond;
        this.slotStart = nowNanos - slotNanos;
    }

    /** Closes per slot. */
    int perSlot() {
        return perSlot;
    }

    /** Nanoseconds from {@code nowNanos} (just after the last close) until the next close. */
    long nextDelay(long nowNanos, RandomGenerator random) {
        slotStart = Math.max(slotStart + slotNanos, nowNanos);
        long at = slotStart + (long) (random.nextDouble() * slotNanos);
        return Math.max(0, at - nowNanos);
    }
}
