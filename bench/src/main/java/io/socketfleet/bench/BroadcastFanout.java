package io.socketfleet.bench;

import java.util.List;
import java.util.function.Supplier;

/** Scenario 2: one emitter, many clients on one server, a small JSON message broadcast in rounds. */
final class BroadcastFanout implements Scenario {

    @Override
    public String name() {
        return "broadcast-fanout";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (Supplier<LoadGenerator> generators : settings.generators()) {
            for (ServerProcess.Kind kind : settings.servers()) {
                try (ServerProcess server = ServerProcess.start(kind, Repo.freePort(), null, null);
                     LoadGenerator load = generators.get()) {
                    load.connect(List.of(server.url), settings.fanoutClients());
                    Measured[] coldWarm = Measured.coldAndWarm(settings, List.of(server), load::broadcastRounds,
                            name() + "-" + load.name() + "-" + kind.name().toLowerCase(java.util.Locale.ROOT));
                    record(results, name(), load.name(), kind.label, coldWarm);
                }
            }
        }
    }

    static void record(Results results, String scenario, String generator, String subject, Measured[] coldWarm) {
        Measured cold = coldWarm[0];
        Measured warm = coldWarm[1];
        results.add(scenario, generator, "server CPU per delivery", "µs", subject, warm.cpuMicrosPerOperation(), false);
        results.add(scenario, generator, "server CPU per delivery, cold", "µs", subject, cold.cpuMicrosPerOperation(), false);
        results.add(scenario, generator, "server CPU in JIT compiler threads", "%", subject, 100 * warm.compilerShare(), false);
        results.add(scenario, generator, "server CPU in JIT compiler threads, cold", "%", subject, 100 * cold.compilerShare(), false);
        results.add(scenario, generator, "deliveries/s", "msg/s", subject, warm.window().perSecond(), true);
        results.add(scenario, generator, "server cores busy", "cores", subject, warm.serverCores(), false);
        results.add(scenario, generator, "emit-to-receipt p50", "ms", subject, warm.window().percentileMillis(50), false);
        results.add(scenario, generator, "emit-to-receipt p99", "ms", subject, warm.window().percentileMillis(99), false);
        results.add(scenario, generator, "lost deliveries", "msg", subject, warm.window().lost() + cold.window().lost(), false);
        results.add(scenario, generator, "warm-up before the measured window", "s", subject, warm.warmedUp().toMillis() / 1000.0, false);
    }
}
