package io.socketfleet.operator.local;

/**
 * When to try again after consecutive failures — of a node, Redis, nginx or a reload: 1 s after
 * the first, doubling up to 32 s, as a kubelet backs off a crashing container (on a laptop's
 * scale). Something that ran for {@link #STABLE_MILLIS} before failing starts again from 1 s.
 *
 * @param failures  consecutive failures so far (0: none)
 * @param notBefore epoch millis before which the next attempt waits
 */
record Backoff(int failures, long notBefore) {

    static final Backoff NONE = new Backoff(0, 0);
    static final long STABLE_MILLIS = 30_000;
    private static final long FIRST_MILLIS = 1_000;
    private static final int MAX_DOUBLINGS = 5;

    /** The wait after the {@code failures}-th failure in a row: 1 s, 2 s, 4 s, … 32 s. */
    static long delayMillis(int failures) {
        return FIRST_MILLIS << Math.min(Math.max(failures - 1, 0), MAX_DOUBLINGS);
    }

    /** One more failure at {@code now}; {@code upSince} (epoch millis, or -1) resets the count when it ran long enough. */
    Backoff failed(long now, long upSince) {
        int count = upSince >= 0 && now - upSince >= STABLE_MILLIS ? 1 : failures + 1;
        return new Backoff(count, now + delayMillis(count));
    }

    boolean due(long now) {
        return now >= notBefore;
    }

    boolean failing() {
        return failures > 0;
    }

    /** Seconds until the next attempt, for the console. */
    long secondsLeft(long now) {
        return Math.max(0, (notBefore - now + 999) / 1000);
    }
}
