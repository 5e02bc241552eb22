package io.socketfleet.node.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShedPaceTest {

    private static final long SECOND = 1_000_000_000L;

    /** Close times over {@code seconds} when the timer runs {@code lateness} (0..1 of a slot, random) late each time. */
    private static List<Long> closes(int rate, double seconds, double lateness, long seed) {
        Random random = new Random(seed);
        ShedPace pace = new ShedPace(rate, 0);
        List<Long> at = new ArrayList<>();
        long now = 0;
        while (now < seconds * SECOND) {
            long delay = pace.nextDelay(now, random);
            now += delay + (long) (random.nextDouble() * lateness * SECOND / rate * 3);
            at.add(now);
        }
        return at;
    }

    private static long mostInAnySecond(List<Long> closes) {
        long most = 0;
        for (int i = 0; i < closes.size(); i++) {
            int j = i;
            while (j < closes.size() && closes.get(j) < closes.get(i) + SECOND) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    @Test
    void noSecondHoldsMoreThanTheRatePlusOne() {
        for (long seed = 0; seed < 20; seed++) {
            assertTrue(mostInAnySecond(closes(40, 30, 0, seed)) <= 41, "seed " + seed);
            assertTrue(mostInAnySecond(closes(40, 30, 1, seed)) <= 41, "a late timer skips slots, seed " + seed);
        }
    }

    @Test
    void onTimeItKeepsTheRateAndLateItFallsBehindRatherThanBursting() {
        assertEquals(40 * 30, closes(40, 30, 0, 1).size(), 40.0);
        assertTrue(closes(40, 30, 1, 1).size() < 40 * 30 * 0.8);
    }

    @Test
    void theClosesAreJittered() {
        List<Long> at = closes(20, 10, 0, 3);
        long distinctGaps = java.util.stream.IntStream.range(1, at.size()).mapToLong(i -> (at.get(i) - at.get(i - 1)) / 1_000_000)
                .distinct().count();
        assertTrue(distinctGaps > 20, "gaps vary: " + distinctGaps);
    }

    @Test
    void aboveAThousandASecondSeveralGoPerMillisecond() {
        ShedPace pace = new ShedPace(5000, 0);
        assertEquals(5, pace.perSlot());
    }
}
