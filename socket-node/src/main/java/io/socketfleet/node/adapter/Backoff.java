package io.socketfleet.node.adapter;

/**
 * The pause between a Redis reader's or subscriber's attempts: from 100 ms, doubling to at most
 * 5 s, each with up to half again of random jitter so a fleet that lost Redis together does not
 * come back in lockstep. Used by one thread at a time.
 */
final class Backoff {

    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    private long next = FIRST_MILLIS;

    /** After an attempt that worked: the next failure waits the shortest pause again. */
    void reset() {
        next = FIRST_MILLIS;
    }

    /** Sleeps the current pause and doubles the next; false when interrupted (the thread should end). */
    boolean pause() {
        try {
            Thread.sleep(next + (long) (Math.random() * next / 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        next = Math.min(next * 2, MAX_MILLIS);
        return true;
    }
}
