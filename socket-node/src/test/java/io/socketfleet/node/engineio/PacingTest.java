package io.socketfleet.node.engineio;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacingTest {

    @Test
    void eachCloseFallsInItsOwnSlotOfThePeriod() {
        long[] delays = Pacing.delays(100, 10_000, new Random(1));
        assertEquals(100, delays.length);
        for (int i = 0; i < delays.length; i++) {
            assertTrue(delays[i] >= i * 100L && delays[i] < (i + 1) * 100L, "close " + i + " at " + delays[i]);
        }
    }

    @Test
    void noStretchOfTheRatesLengthHoldsMoreThanOneCloseAboveTheRate() {
        // 20 closes a second for 5 seconds: any one-second window holds at most 21.
        long[] delays = Pacing.delays(100, 5_000, new Random(7));
        for (long start = 0; start < 5_000; start += 10) {
            long from = start;
            long inWindow = java.util.Arrays.stream(delays).filter(d -> d >= from && d < from + 1_000).count();
            assertTrue(inWindow <= 21, inWindow + " closes in the second from " + start + " ms");
        }
    }

    @Test
    void theClosesAreJitteredNotEvenlySpaced() {
        long[] delays = Pacing.delays(50, 5_000, new Random(3));
        long distinctGaps = java.util.stream.IntStream.range(1, delays.length).mapToLong(i -> delays[i] - delays[i - 1]).distinct().count();
        assertTrue(distinctGaps > 10, "gaps vary: " + distinctGaps);
        assertEquals(0, Pacing.delays(0, 5_000, new Random(3)).length);
    }
}
