package io.socketfleet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The benchmark runner: each scenario against socket-node, Node socket.io and netty-socketio
 * (each its own process), a table of medians on stdout and a JSON file under target/.
 */
@Command(name = "socketfleet-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks socket-node against Node socket.io 4.8 and netty-socketio, and nginx balance.")
public final class BenchMain implements Callable<Integer> {

    static final List<Scenario> SCENARIOS = List.of(new IdleConnections(), new BroadcastFanout(), new ClusterBroadcast(),
            new EchoRoundTrip(), new NginxBalance(), new NginxReloadMemory(), new OperatorReaction(),
            new Rebalancing());

    @Option(names = "--smoke", description = "A few hundred clients and seconds per scenario (what CI runs).")
    boolean smoke;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each scenario; the table shows medians (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--scenario", split = ",", description = "Only these: idle-connections, broadcast-fanout, "
            + "cross-node-broadcast, echo-ack-round-trip, nginx-balance, nginx-reloads, operator-reaction, rebalancing.")
    List<String> only;

    @Option(names = "--out", defaultValue = "bench/target/bench-results.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = smoke ? Settings.smoke() : Settings.full(runs);
        Results results = new Results();
        for (Scenario scenario : SCENARIOS) {
            if (only != null && !only.contains(scenario.name())) {
                continue;
            }
            for (int run = 1; run <= settings.runs(); run++) {
                System.out.printf("== %s, run %d/%d%n", scenario.name(), run, settings.runs());
                scenario.run(settings, results);
            }
        }
        System.out.println();
        results.print(System.out);
        Path file = out.isAbsolute() ? out : Repo.root().resolve(out);
        results.write(file, machine(settings));
        System.out.println("\nresults written to " + file);
        return results.isEmpty() ? 1 : 0;
    }

    private static Map<String, Object> machine(Settings settings) throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?"));
        machine.put("java", System.getProperty("java.version"));
        machine.put("settings", settings.toString());
        return machine;
    }
}
