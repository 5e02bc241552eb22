package io.socketfleet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            new EchoRoundTrip(), new ColdStart(), new NginxBalance(), new NginxReloadMemory(), new OperatorReaction(),
            new Rebalancing(), new RebalancingWithRecovery(), new RecoveryAfterKill());

    @Spec
    CommandSpec spec;

    @Option(names = "--smoke", description = "A few hundred clients and seconds per scenario (what CI runs).")
    boolean smoke;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of each scenario; the table shows medians (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--scenario", split = ",", description = "Only these: idle-connections, broadcast-fanout, "
            + "cross-node-broadcast, echo-ack-round-trip, cold-start, nginx-balance, nginx-reloads, operator-reaction, rebalancing, rebalancing-streams, recovery-after-kill.")
    List<String> only;

    @Option(names = "--servers", split = ",", description = "Only these servers: SOCKET_NODE, NODE_SOCKET_IO, NETTY_SOCKETIO, LIMIT.")
    List<ServerProcess.Kind> servers;

    @Option(names = "--generators", split = ",", description = "Only these load generators: java, node.")
    List<String> generators;

    @Option(names = "--jfr", description = "Run the JVM servers with a flight recording (profile settings) into this directory.")
    Path jfr;

    @Option(names = "--profile", description = "Profile the JVM servers' measured warm windows with async-profiler (CPU, all threads, "
            + "kernel frames included) into this directory: folded stacks for ProfileSummary and flame graphs.")
    Path profile;

    @Option(names = "--transport", defaultValue = "auto", description = "Network transport of socket-node and the limit peer: "
            + "auto, io_uring, epoll, nio (socket-node's TRANSPORT setting; default ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--out", defaultValue = "bench/target/bench-results.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = (smoke ? Settings.smoke() : Settings.full(runs)).only(servers, generators);
        if (jfr != null) {
            Files.createDirectories(jfr);
            ServerProcess.recordingsDir = jfr.toAbsolutePath();
        }
        ServerProcess.transport = transport;
        if (profile != null) {
            Files.createDirectories(profile);
            WindowProfiler.dir = profile.toAbsolutePath();
        }
        Results results = new Results();
        List<String> failures = new ArrayList<>();
        String loadBefore = loadAverage();
        for (Scenario scenario : SCENARIOS) {
            if (only != null && !only.contains(scenario.name())) {
                continue;
            }
            for (int run = 1; run <= settings.runs(); run++) {
                System.out.printf("== %s, run %d/%d%n", scenario.name(), run, settings.runs());
                try {
                    scenario.run(settings, results);
                } catch (Exception | AssertionError e) {
                    // One failed run must not throw away the figures of every other scenario: it is
                    // reported here and at the end, and the exit code says the run is incomplete.
                    String failure = scenario.name() + ", run " + run + ": " + e;
                    failures.add(failure);
                    spec.commandLine().getErr().println("FAILED " + failure);
                    e.printStackTrace(spec.commandLine().getErr());
                }
            }
        }
        String loadAfter = loadAverage();
        System.out.println();
        results.print(System.out);
        Path file = out.isAbsolute() ? out : Repo.root().resolve(out);
        Map<String, Object> machine = machine(settings);
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        results.write(file, machine);
        Path table = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(table, results.markdown());
        System.out.println("\n" + results.markdown());
        System.out.println("machine: " + machine);
        System.out.println("results written to " + file + " and " + table);
        if (!failures.isEmpty()) {
            spec.commandLine().getErr().println("incomplete: " + failures.size() + " scenario run(s) failed: " + failures);
            return 1;
        }
        return results.isEmpty() ? 1 : 0;
    }

    /** 1, 5 and 15 minute load averages: other work on the machine, which CPU per operation is robust against. */
    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return new String(node.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static Map<String, Object> machine(Settings settings) throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?"));
        machine.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        machine.put("java", System.getProperty("java.version"));
        machine.put("node", nodeVersion());
        machine.put("settings", settings.toString());
        return machine;
    }
}
