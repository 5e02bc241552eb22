package io.socketfleet.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a node's start went, for its log: the JVM's own start (process start to the node's code,
 * loading the classes of what ran so far included), then each phase of the node's start in
 * milliseconds. E.g. "JVM 412 ms, warm-up 3,212 connections 1,004 ms, Netty bind 35 ms, Redis
 * connect 0 ms, application 2 ms; listening 1,460 ms after the process started". The process's age
 * comes from the OS (not java.lang.management, whose loading alone costs a cold start a tenth of a
 * second): on Linux from /proc, to the clock tick; {@link ProcessHandle}'s start instant is not
 * good enough there, as it adds the boot time in whole seconds (up to a second off).
 */
final class StartupPhases {

    /** Linux's USER_HZ, the unit of a process's start time in /proc/PID/stat, is 100 on every architecture. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final long processStartNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(processAgeMillis());
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    StartupPhases() {
        phases.add(String.format("JVM %,d ms", sinceProcessStart()));
    }

    private static long processAgeMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command (which may hold spaces, hence from the last ')'): state is field 3, starttime 22.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.max(0, Math.round(uptimeSeconds * 1000) - startTicks * 1000 / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException notLinux) {
            Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
            return Math.max(0, Duration.between(start, Instant.now()).toMillis());
        }
    }

    /** The phase since the last one (or since the JVM's start) just ended. */
    void done(String phase) {
        long now = System.nanoTime();
        phases.add(String.format("%s %,d ms", phase, (now - last) / 1_000_000));
        last = now;
    }

    private long sinceProcessStart() {
        return (System.nanoTime() - processStartNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return String.format("%s; listening %,d ms after the process started", String.join(", ", phases), sinceProcessStart());
    }
}
