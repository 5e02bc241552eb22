package io.socketfleet.node.engineio;

import java.util.random.RandomGenerator;

/**
 * When each of {@code n} closes happens, spread over a period: close {@code i} falls at a random
 * moment inside the {@code i}-th of {@code n} equal slots. The jitter keeps the clients of one node
 * from reconnecting in lock-step; the slots keep any stretch of one slot's length from holding more
 * than two closes, so the rate never exceeds {@code n / period} by more than one close.
 */
final class Pacing {

    private Pacing() {
    }

    /** Milliseconds from now of each close, in ascending order. */
    static long[] delays(int n, long periodMillis, RandomGenerator random) {
        long[] delays = new long[n];
        if (n == 0) {
            return delays;
        }
        double slot = (double) periodMillis / n;
        for (int i = 0; i < n; i++) {
            delays[i] = (long) (i * slot + random.nextDouble() * slot);
        }
        return delays;
    }
}
