package io.socketfleet.bench;

import java.util.List;
import java.util.function.Supplier;

/** Scenario 4: clients each doing emit-with-ack in a loop. */
final class EchoRoundTrip implements Scenario {

    @Override
    public String name() {
        return "echo-ack-round-trip";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (Supplier<LoadGenerator> generators : settings.generators()) {
            for (ServerProcess.Kind kind : settings.servers()) {
                try (ServerProcess server = ServerProcess.start(kind, Repo.freePort(), null, null);
                     LoadGenerator load = generators.get()) {
                    load.connect(List.of(server.url), settings.echoClients());
                    Measured[] coldWarm = Measured.coldAndWarm(settings, List.of(server), load::echo,
                            name() + "-" + load.name() + "-" + kind.name().toLowerCase(java.util.Locale.ROOT));
                    Measured cold = coldWarm[0];
                    Measured warm = coldWarm[1];
                    String g = load.name();
                    String s = kind.label;
                    results.add(name(), g, "server CPU per round trip", "µs", s, warm.cpuMicrosPerOperation(), false);
                    results.add(name(), g, "server CPU per round trip, cold", "µs", s, cold.cpuMicrosPerOperation(), false);
                    results.add(name(), g, "server CPU in JIT compiler threads", "%", s, 100 * warm.compilerShare(), false);
                    results.add(name(), g, "server CPU in JIT compiler threads, cold", "%", s, 100 * cold.compilerShare(), false);
                    results.add(name(), g, "round trips/s", "rt/s", s, warm.window().perSecond(), true);
                    results.add(name(), g, "server cores busy", "cores", s, warm.serverCores(), false);
                    results.add(name(), g, "round trip p50", "ms", s, warm.window().percentileMillis(50), false);
                    results.add(name(), g, "round trip p99", "ms", s, warm.window().percentileMillis(99), false);
                    results.add(name(), g, "round trip p99, cold", "ms", s, cold.window().percentileMillis(99), false);
                    results.add(name(), g, "warm-up before the measured window", "s", s, warm.warmedUp().toMillis() / 1000.0, false);
                }
            }
        }
    }
}
