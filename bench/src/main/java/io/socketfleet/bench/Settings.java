package io.socketfleet.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sizes of every scenario: the full run of the issue, or a smoke run of a few hundred
 * clients and seconds that CI uses so the runner cannot rot. Each load scenario measures a cold
 * window (right after the clients connect), then warms up — at least {@code warmup}, and on until
 * the JVM servers' JIT compilers are done, at most {@code maxWarmup} — then measures.
 */
record Settings(int idleClients, int fanoutClients, int clusterClients, int echoClients, int balanceClients,
                List<Integer> balanceNodes, int operatorChanges, Duration cold, Duration warmup, Duration maxWarmup,
                Duration measure, int runs,
                int reloadWebsockets, int reloads, int reloadShutdownTimeoutSeconds, int nodeGeneratorProcesses,
                List<ServerProcess.Kind> servers, List<String> generatorNames) {

    static final List<String> GENERATORS = List.of("java", "node");

    static Settings full(int runs) {
        return new Settings(10_000, 1_000, 1_000, 100, 3_000, List.of(3, 5, 10), 20,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(10), runs, 1_000, 20, 30, 4,
                List.of(ServerProcess.Kind.values()), GENERATORS);
    }

    static Settings smoke() {
        return new Settings(200, 100, 90, 20, 300, List.of(3), 5,
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1), 1, 60, 3, 5, 2,
                List.of(ServerProcess.Kind.values()), GENERATORS);
    }

    /** The load generators every server is measured with, each made fresh for one server (or fleet). */
    List<Supplier<LoadGenerator>> generators() {
        List<Supplier<LoadGenerator>> generators = new ArrayList<>();
        if (generatorNames.contains("java")) {
            generators.add(JavaGenerator::new);
        }
        if (generatorNames.contains("node")) {
            generators.add(() -> new NodeClientGenerator(nodeGeneratorProcesses));
        }
        return generators;
    }

    /** Only these servers and generators (for a quicker look at one comparison). */
    Settings only(List<ServerProcess.Kind> kinds, List<String> generatorNames) {
        return new Settings(idleClients, fanoutClients, clusterClients, echoClients, balanceClients, balanceNodes, operatorChanges,
                cold, warmup, maxWarmup, measure, runs, reloadWebsockets, reloads, reloadShutdownTimeoutSeconds, nodeGeneratorProcesses,
                kinds == null ? servers : kinds, generatorNames == null ? this.generatorNames : generatorNames);
    }
}
