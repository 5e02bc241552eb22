package io.socketfleet.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sizes of every scenario: the full run of the issue, or a smoke run of a few hundred
 * clients and seconds that CI uses so the runner cannot rot.
 */
record Settings(int idleClients, int fanoutClients, int clusterClients, int echoClients, int balanceClients,
                List<Integer> balanceNodes, int operatorChanges, Duration warmup, Duration measure, int runs,
                int reloadWebsockets, int reloads, int reloadShutdownTimeoutSeconds) {

    static Settings full(int runs) {
        return new Settings(10_000, 1_000, 1_000, 100, 3_000, List.of(3, 5, 10), 20,
                Duration.ofSeconds(3), Duration.ofSeconds(10), runs, 1_000, 20, 30);
    }

    static Settings smoke() {
        return new Settings(200, 100, 90, 20, 300, List.of(3), 5, Duration.ofMillis(500), Duration.ofSeconds(2), 1, 60, 3, 5);
    }
}
