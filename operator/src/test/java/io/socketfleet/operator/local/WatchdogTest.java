package io.socketfleet.operator.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How local mode keeps Redis and nginx running, with a pretend process and clock. */
class WatchdogTest {

    private static final long T0 = 1_000_000;

    private boolean alive = true;
    private int restarts;
    private int failuresToCome;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Watchdog watchdog = new Watchdog("redis-server", () -> alive, () -> "exit 137", "broadcasts pause", () -> {
        restarts++;
        if (failuresToCome > 0) {
            failuresToCome--;
            throw new LocalFleetException("port in use");
        }
        alive = true;
        return " on 127.0.0.1:6379";
    }, new PrintStream(console, true, StandardCharsets.UTF_8), T0);

    private List<String> lines() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aRunningProcessIsLeftAlone() {
        watchdog.check(T0 + 5_000);
        assertEquals(0, restarts);
        assertEquals(List.of(), lines());
    }

    @Test
    void aDeadProcessIsReportedOnceAndStartedAgainAfterOneSecond() {
        alive = false;
        watchdog.check(T0 + 1_000);
        watchdog.check(T0 + 1_500);
        assertEquals(0, restarts, "waits for its backoff");
        watchdog.check(T0 + 2_000);
        assertEquals(1, restarts);
        assertEquals(List.of("socketfleet: redis-server died (exit 137); broadcasts pause; starting it again in 1 s",
                "socketfleet: redis-server is back on 127.0.0.1:6379"), lines());
    }

    @Test
    void failedStartsBackOffAndEachAttemptIsOneLine() {
        alive = false;
        failuresToCome = 2;
        watchdog.check(T0); // died; due in 1 s
        watchdog.check(T0 + 1_000); // fails: next in 2 s
        watchdog.check(T0 + 2_999);
        watchdog.check(T0 + 3_000); // fails: next in 4 s
        watchdog.check(T0 + 6_999);
        watchdog.check(T0 + 7_000); // starts
        assertEquals(3, restarts);
        assertEquals(4, lines().size(), String.join("\n", lines()));
        assertTrue(lines().get(1).endsWith("(port in use); next try in 2 s"), lines().get(1));
        assertTrue(lines().get(2).endsWith("(port in use); next try in 4 s"), lines().get(2));
    }

    @Test
    void dyingAgainSoonAfterARestartWaitsLongerButALongRunStartsFresh() {
        alive = false;
        watchdog.check(T0);
        watchdog.check(T0 + 1_000); // back
        alive = false;
        watchdog.check(T0 + 2_000); // died again after 1 s of running
        assertTrue(lines().get(2).endsWith("starting it again in 2 s"), lines().get(2));
        watchdog.check(T0 + 4_000); // back
        alive = false;
        watchdog.check(T0 + 4_000 + Backoff.STABLE_MILLIS); // died after a long run
        assertTrue(lines().get(4).endsWith("starting it again in 1 s"), lines().get(4));
    }
}
