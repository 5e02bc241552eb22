package io.socketfleet.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.socketfleet.operator.api.FleetFiles;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.metrics.OperatorMetrics;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;
import io.socketfleet.operator.validation.FleetValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** socketfleet-operator: run the operator, render an nginx config, or run a fleet locally. */
@Command(name = "socketfleet-operator", mixinStandardHelpOptions = true, version = "socketfleet-operator 0.1.0",
        description = "Load-balanced socket.io fleets on Kubernetes, or on this machine.",
        subcommands = {Main.Run.class, Main.Render.class, io.socketfleet.operator.local.LocalCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            System.err.println("socketfleet-operator: " + e.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("socketfleet-operator: " + e.getMessage());
            return 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the operator against the cluster of the current kubeconfig, or in-cluster.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--health-port", defaultValue = "${env:HEALTH_PORT:-8081}",
                description = "Port of /healthz, /readyz and /metrics (env HEALTH_PORT, default ${DEFAULT-VALUE}).")
        int healthPort;

        @Option(names = "--leader-election", negatable = true, defaultValue = "${env:LEADER_ELECTION:-true}",
                fallbackValue = "true", description = "Only one replica reconciles at a time (env LEADER_ELECTION, default ${DEFAULT-VALUE}).")
        boolean leaderElection;

        @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-socketfleet-system}",
                description = "Namespace of the leader-election Lease (env POD_NAMESPACE, default ${DEFAULT-VALUE}).")
        String leaseNamespace;

        @Override
        public Integer call() throws Exception {
            Config config = Config.autoConfigure(null);
            Optional<String> problem = ClusterPreflight.problem(config, System.getenv(), leaderElection ? leaseNamespace : null);
            if (problem.isPresent()) {
                System.err.println("socketfleet-operator: " + problem.get());
                return 1;
            }
            KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
            OperatorMetrics metrics = new OperatorMetrics();
            Operator operator = OperatorRuntime.create(client, leaderElection ? leaseNamespace : null, metrics);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                operator.stop();
                client.close();
                stopped.countDown();
            }, "operator-shutdown"));
            try (HealthServer health = new HealthServer(healthPort, operator, metrics)) {
                operator.start();
                stopped.await();
            }
            return 0;
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Print the nginx.conf the operator would write for a fleet and these ready backends.")
    static final class Render implements Callable<Integer> {

        @Option(names = {"-f", "--file"}, required = true, description = "SocketFleet YAML or JSON file.")
        Path file;

        @Option(names = "--backend", paramLabel = "IP:PORT", description = "A ready socket-node; repeat for each.")
        List<String> backends = new ArrayList<>();

        @Option(names = "--draining-backend", paramLabel = "IP:PORT",
                description = "A socket-node that is draining: its sessions still reach it, new connections do not; repeat for each.")
        List<String> drainingBackends = new ArrayList<>();

        @Option(names = "--listen", description = "Override the listen address (default: the fleet's nginx port, IPv4 and IPv6).")
        String listen;

        @Option(names = "--runtime-dir", paramLabel = "DIR",
                description = "Keep nginx's pid file, temp files and error log in DIR, to run the config outside a pod "
                        + "(default: the pod's /tmp and stderr).")
        Path runtimeDir;

        @Override
        public Integer call() throws IOException {
            SocketFleet fleet = FleetFiles.read(file);
            List<String> problems = FleetValidator.validate(fleet);
            if (!problems.isEmpty()) {
                problems.forEach(p -> System.err.println("socketfleet-operator: invalid fleet: " + p));
                return 1;
            }
            List<Backend> routed = new ArrayList<>();
            backends.forEach(address -> routed.add(backend(address, "--backend")));
            drainingBackends.forEach(address -> routed.add(backend(address, "--draining-backend").asDraining()));
            NginxRuntime pod = NginxRuntime.inPod(fleet.getSpec().getNginx());
            NginxRuntime runtime;
            try {
                Path dir = runtimeDir == null ? null : runtimeDir.toAbsolutePath();
                runtime = new NginxRuntime(listen == null ? pod.listen() : listen, listen == null && pod.ipv6(), pod.workerProcesses(),
                        dir == null ? pod.pidFile() : dir.resolve("nginx.pid").toString(),
                        dir == null ? pod.tempDir() : dir.toString(),
                        dir == null ? pod.errorLog() : dir.resolve("error.log") + " warn",
                        dir == null ? pod.accessLog() : "off", pod.statusListen());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--listen/--runtime-dir: " + e.getMessage());
            }
            System.out.print(NginxConfig.render(fleet, routed, runtime));
            return 0;
        }

        private Backend backend(String address, String option) {
            try {
                return Backend.parse(address, address);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), option + " " + e.getMessage());
            }
        }
    }
}
