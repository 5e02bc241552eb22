package io.socketfleet.node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a node's start went, for its log: the JVM's own start (process start to the node's code,
 * loading the classes of what ran so far included), then each phase of the node's start in
 * milliseconds. E.g. "JVM 412 ms, warm-up 3,212 connections 1,004 ms, Netty bind 35 ms, Redis
 * connect 0 ms, application 2 ms; listening 1,460 ms after the process started". The process's start
 * comes from the OS (not java.lang.management, whose loading alone costs a cold start a tenth of a second).
 */
final class StartupPhases {

    private final Instant processStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    private final List<String> phases = new ArrayList<>();
    private long last = System.nanoTime();

    StartupPhases() {
        phases.add(String.format("JVM %,d ms", sinceProcessStart()));
    }

    /** The phase since the last one (or since the JVM's start) just ended. */
    void done(String phase) {
        long now = System.nanoTime();
        phases.add(String.format("%s %,d ms", phase, (now - last) / 1_000_000));
        last = now;
    }

    private long sinceProcessStart() {
        return Duration.between(processStart, Instant.now()).toMillis();
    }

    @Override
    public String toString() {
        return String.format("%s; listening %,d ms after the process started", String.join(", ", phases), sinceProcessStart());
    }
}
