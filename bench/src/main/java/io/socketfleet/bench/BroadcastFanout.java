package io.socketfleet.bench;

import java.util.List;

/** Scenario 2: one emitter, many clients on one server, a small JSON message broadcast repeatedly. */
final class BroadcastFanout implements Scenario {

    @Override
    public String name() {
        return "broadcast-fanout";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (ServerProcess.Kind kind : ServerProcess.Kind.values()) {
            try (ServerProcess server = ServerProcess.start(kind, Repo.freePort(), null, null);
                 LoadClient load = new LoadClient(2)) {
                List<Connection> clients = load.connect(server.url, settings.fanoutClients(), 128);
                Broadcasts.Outcome outcome = Broadcasts.measure(clients.get(0), clients, settings.warmup(), settings.measure());
                record(results, name(), kind.label, outcome);
                LoadClient.closeAll(clients);
            }
        }
    }

    static void record(Results results, String scenario, String subject, Broadcasts.Outcome outcome) {
        results.add(scenario, "deliveries/s", "msg/s", subject, outcome.deliveriesPerSecond(), true);
        results.add(scenario, "emit-to-receipt p50", "ms", subject, outcome.p50Millis(), false);
        results.add(scenario, "emit-to-receipt p99", "ms", subject, outcome.p99Millis(), false);
        results.add(scenario, "lost deliveries", "msg", subject, outcome.lost(), false);
    }
}
