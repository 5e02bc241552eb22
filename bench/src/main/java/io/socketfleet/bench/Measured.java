package io.socketfleet.bench;

import java.time.Duration;
import java.util.List;

/**
 * A generator's window and the CPU the servers used over it; for a warm window also how long the
 * warm-up before it ran.
 */
record Measured(LoadGenerator.Window window, long serverCpuNanos, long compilerCpuNanos, Duration warmedUp) {

    /** The JIT is taken to be done when its compiler threads took at most this share of a warm-up slice's CPU. */
    static final double COMPILED = 0.05;
    private static final Duration SLICE = Duration.ofSeconds(5);

    /** One window of operations, with the servers' CPU read from /proc just before and after. */
    static Measured over(List<ServerProcess> servers, Operation operation) throws Exception {
        long compilerBefore = ProcessCpu.compilerNanos(servers);
        long before = ProcessCpu.nanos(servers);
        LoadGenerator.Window window = operation.run();
        long after = ProcessCpu.nanos(servers);
        return new Measured(window, after - before, ProcessCpu.compilerNanos(servers) - compilerBefore, Duration.ZERO);
    }

    /**
     * A scenario's run against started servers: the cold window first (the servers' first seconds
     * of load, JIT compilers still at work), then a warm-up that is thrown away, then the measured
     * window. The warm-up lasts at least {@link Settings#warmup()} and goes on, slice by slice, until
     * the JVM servers' compiler threads took at most {@link #COMPILED} of their CPU in the last slice
     * (the JIT is done) or {@link Settings#maxWarmup()} ran out. With --profile the measured window is
     * profiled as {@code profileName}.
     */
    static Measured[] coldAndWarm(Settings settings, List<ServerProcess> servers, WindowOf operation, String profileName)
            throws Exception {
        Measured cold = over(servers, () -> operation.run(settings.cold()));
        long start = System.nanoTime();
        operation.run(settings.warmup());
        while (System.nanoTime() - start < settings.maxWarmup().toNanos()) {
            Measured slice = over(servers, () -> operation.run(SLICE));
            if (slice.compilerShare() <= COMPILED) {
                break;
            }
        }
        Duration warmedUp = Duration.ofNanos(System.nanoTime() - start);
        WindowProfiler.start(servers);
        Measured warm = over(servers, () -> operation.run(settings.measure()));
        WindowProfiler.stop(servers, profileName);
        return new Measured[] {cold, new Measured(warm.window, warm.serverCpuNanos, warm.compilerCpuNanos, warmedUp)};
    }

    double cpuMicrosPerOperation() {
        return window.operations() == 0 ? Double.NaN : serverCpuNanos / 1000.0 / window.operations();
    }

    /** The share of the servers' CPU their JIT compiler threads took. */
    double compilerShare() {
        return serverCpuNanos == 0 ? 0 : (double) compilerCpuNanos / serverCpuNanos;
    }

    /** Cores the servers kept busy on average. */
    double serverCores() {
        return serverCpuNanos / 1e9 / window.seconds();
    }

    @FunctionalInterface
    interface Operation {
        LoadGenerator.Window run() throws Exception;
    }

    @FunctionalInterface
    interface WindowOf {
        LoadGenerator.Window run(java.time.Duration duration) throws Exception;
    }
}
