package io.socketfleet.operator.reconciler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The debounce rule, step by step on a made-up clock. */
class ConfigDebounceTest {

    private static final Instant T0 = Instant.parse("2026-11-26T16:00:00Z");

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void theFirstConfigAndAChangeAfterAQuietSpellAreWrittenAtOnce() {
        var first = ConfigDebounce.step(null, null, "a", at(0));
        assertTrue(first.decision().write());
        var lone = ConfigDebounce.step(first.history(), "a", "b", at(5_000));
        assertTrue(lone.decision().write(), "no delay for a lone change");
    }

    @Test
    void nothingToWriteWhenTheWantedConfigIsTheCurrentOne() {
        var same = ConfigDebounce.step(null, "a", "a", at(0));
        assertFalse(same.decision().write());
        assertEquals(Duration.ZERO, same.decision().retryAfter());
    }

    @Test
    void changesRightAfterAWriteWaitForQuietButNeverBeyondTheMaximumDelay() {
        ConfigDebounce.History history = ConfigDebounce.step(null, "a", "b", at(0)).history(); // written at 0
        String current = "b";
        int writes = 0;
        long lastWriteAt = 0;
        for (int i = 1; i <= 30; i++) { // one change every 50 ms
            var step = ConfigDebounce.step(history, current, "c" + i, at(i * 50L));
            history = step.history();
            if (step.decision().write()) {
                writes++;
                current = "c" + i;
                assertTrue(i * 50L - lastWriteAt <= ConfigDebounce.MAX_DELAY.toMillis() + 50, "bounded delay");
                lastWriteAt = i * 50L;
            } else {
                assertTrue(step.decision().retryAfter().compareTo(ConfigDebounce.MAX_DELAY) <= 0);
            }
        }
        var trailing = ConfigDebounce.step(history, current, "c30", at(1_500 + ConfigDebounce.QUIET.toMillis()));
        assertTrue(trailing.decision().write(), "the last change is written once things are quiet");
        assertEquals(1, writes, "30 changes in 1.5 s: one write at the maximum delay while they kept coming");
    }
}
