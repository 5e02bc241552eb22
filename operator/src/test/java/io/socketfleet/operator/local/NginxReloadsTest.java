package io.socketfleet.operator.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reloading nginx, and what happens when nginx refuses, with a pretend nginx and clock. */
class NginxReloadsTest {

    private static final long T0 = 1_000_000;
    private static final String REFUSAL = "nginx: [error] invalid PID number \"\" in \"/tmp/x/nginx.pid\"";

    private final Pretend nginx = new Pretend();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final NginxReloads reloads = new NginxReloads(nginx, new PrintStream(console, true, StandardCharsets.UTF_8));

    private List<String> lines() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aReloadSaysWhatChanged() {
        assertTrue(reloads.reload("B", "ready backends 1 -> 2", T0));
        assertEquals("B", nginx.running);
        assertEquals(List.of("socketfleet: ready backends 1 -> 2; nginx reloaded in place"), lines());
        assertTrue(reloads.reload("B", "ready backends 1 -> 2", T0), "the same config again needs nothing");
        assertEquals(1, nginx.attempts);
    }

    @Test
    void aRefusedReloadIsReportedOnceInNginxsWordsAndRetriedWithBackoff() {
        nginx.refusal = REFUSAL;
        int[] seconds = {0, 1, 3, 7, 15, 31, 63, 95};
        for (long t = 0; t <= 100; t++) {
            assertFalse(reloads.reload("B", "ready backends 1 -> 2", T0 + t * 1_000));
        }
        assertEquals(seconds.length, nginx.attempts, "tried at 0, 1, 3, 7, 15, 31, 63 and 95 s, not every tick");
        assertEquals(List.of("socketfleet: could not reload nginx, it keeps the previous config: nginx -s reload failed: " + REFUSAL
                + "; retrying with backoff (1 s doubling to 32 s)"), lines(), "reported once");

        nginx.refusal = null;
        assertFalse(reloads.reload("B", "ready backends 1 -> 2", T0 + 126_999), "waits for the backoff");
        assertTrue(reloads.reload("B", "ready backends 1 -> 2", T0 + 127_000));
        assertEquals("socketfleet: ready backends 1 -> 2; nginx reloaded in place after 8 failed attempt(s)", lines().get(1));
        nginx.refusal = REFUSAL;
        assertFalse(reloads.reload("C", null, T0 + 127_000));
        assertEquals(3, lines().size(), "a new streak of refusals is reported again");
    }

    @Test
    void nothingIsTriedWhileTheMasterIsDead() {
        nginx.alive = false;
        assertFalse(reloads.reload("B", "ready backends 1 -> 2", T0));
        assertEquals(0, nginx.attempts);
        assertEquals(List.of(), lines());
    }

    /** An nginx that runs what it was last given, unless told to refuse. */
    private static final class Pretend implements NginxReloads.Target {
        boolean alive = true;
        String running = "A";
        String refusal;
        int attempts;

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public boolean runs(String config) {
            return config.equals(running);
        }

        @Override
        public Optional<String> apply(String config) {
            attempts++;
            if (refusal != null) {
                return Optional.of("nginx -s reload failed: " + refusal);
            }
            running = config;
            return Optional.empty();
        }
    }
}
