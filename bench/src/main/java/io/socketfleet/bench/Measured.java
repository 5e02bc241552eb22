package io.socketfleet.bench;

import java.util.List;

/** A generator's window and the CPU the servers used over it. */
record Measured(LoadGenerator.Window window, long serverCpuNanos, long compilerCpuNanos) {

    /** One window of operations, with the servers' CPU read from /proc just before and after. */
    static Measured over(List<ServerProcess> servers, Operation operation) throws Exception {
        long compilerBefore = ProcessCpu.compilerNanos(servers);
        long before = ProcessCpu.nanos(servers);
        LoadGenerator.Window window = operation.run();
        long after = ProcessCpu.nanos(servers);
        return new Measured(window, after - before, ProcessCpu.compilerNanos(servers) - compilerBefore);
    }

    /**
     * A scenario's run against started servers: the cold window first (the servers' first seconds
     * of load, JIT compilers still at work), then a warm-up that is thrown away, then the measured window.
     */
    static Measured[] coldAndWarm(Settings settings, List<ServerProcess> servers, WindowOf operation) throws Exception {
        Measured cold = over(servers, () -> operation.run(settings.cold()));
        operation.run(settings.warmup());
        Measured warm = over(servers, () -> operation.run(settings.measure()));
        return new Measured[] {cold, warm};
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
