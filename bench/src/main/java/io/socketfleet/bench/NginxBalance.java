package io.socketfleet.bench;


import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Scenario 5: websocket clients through the rendered nginx config to N local socket-nodes;
 * per-node counts and max/mean, for the default rendering and equal weights of 10; and the
 * share of new connections that reach a node added after the others were full.
 */
final class NginxBalance implements Scenario {

    @Override
    public String name() {
        return "nginx-balance";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (int nodes : settings.balanceNodes()) {
            for (int weight : List.of(1, 10)) {
                String subject = nodes + " nodes, weight " + weight;
                IntFunction<String> spec = n -> "  replicas: " + n + "\n  node:\n    drainSeconds: 1\n  nginx:\n    serverWeight: " + weight + "\n";
                try (BenchFleet fleet = new BenchFleet(nodes, spec); LoadClient load = new LoadClient(2)) {
                    List<Connection> clients = load.connect(fleet.url, settings.balanceClients(), 128);
                    Map<String, Long> counts = perNode(clients);
                    double mean = settings.balanceClients() / (double) nodes;
                    long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
                    long min = counts.size() < nodes ? 0 : counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
                    results.add(name(), "max/mean", "", subject, max / mean, false);
                    results.add(name(), "min/mean", "", subject, min / mean, true);
                    System.out.println("  " + subject + ": " + counts);

                    if (nodes == 3) {
                        fleet.scale(4);
                        List<Connection> fresh = load.connect(fleet.url, settings.balanceClients() / 3, 128);
                        long onNew = fresh.stream().filter(c -> c.node.equals("bench-node-4")).count();
                        results.add(name(), "new conns on added 4th node", "%", subject, 100.0 * onNew / fresh.size(), true);
                        LoadClient.closeAll(fresh);
                    }
                    LoadClient.closeAll(clients);
                }
            }
        }
    }

    static Map<String, Long> perNode(List<Connection> clients) {
        return clients.stream().collect(Collectors.groupingBy(c -> c.node, TreeMap::new, Collectors.counting()));
    }
}
