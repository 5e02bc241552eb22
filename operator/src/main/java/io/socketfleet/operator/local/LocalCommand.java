package io.socketfleet.operator.local;

import io.socketfleet.operator.api.FleetFiles;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.validation.FleetValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code local -f fleet.yaml}: the whole fleet on this machine with real nginx, Redis and nodes. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run a SocketFleet on this machine: redis-server, spec.replicas socket-nodes on 127.0.0.2, 127.0.0.3, …",
                "and nginx with the config the operator would write. Follows edits of the file; Ctrl-C stops everything."})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = {"-f", "--file"}, required = true, description = "SocketFleet YAML file to run and follow.")
    Path file;

    @Option(names = "--port", defaultValue = "${env:SOCKETFLEET_PORT}",
            description = "Port nginx listens on (env SOCKETFLEET_PORT; default: the fleet's spec.nginx.port).")
    Integer port;

    @Option(names = "--listen-address", defaultValue = "${env:SOCKETFLEET_LISTEN:-127.0.0.1}",
            description = "Address nginx listens on (env SOCKETFLEET_LISTEN, default ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--status-port", defaultValue = "${env:SOCKETFLEET_STATUS_PORT:-0}",
            description = "Port on 127.0.0.1 where nginx serves its stub_status counters (env SOCKETFLEET_STATUS_PORT; "
                    + "default: a free port, printed at start).")
    int statusPort;

    @Option(names = "--secrets-dir", defaultValue = "${env:SOCKETFLEET_SECRETS_DIR}",
            description = "Where the Secrets the fleet names are, one file per key as a pod mounts them: DIR/SECRET/KEY, e.g. "
                    + "spec.adminUi.passwordSecret's bcrypt hash, spec.redis.external's password, CA bundle and client certificate "
                    + "(env SOCKETFLEET_SECRETS_DIR; default: secrets/ beside the file).")
    Path secretsDir;

    @Option(names = "--node-jar", defaultValue = "${env:SOCKETFLEET_NODE_JAR}",
            description = "socket-node.jar to run (env SOCKETFLEET_NODE_JAR; default: socket-node/target/socket-node.jar of this checkout).")
    Path nodeJar;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.out;
        if (!Files.isReadable(file)) {
            throw new LocalFleetException("cannot read " + file);
        }
        SocketFleet fleet = FleetFiles.read(file);
        List<String> problems = FleetValidator.validate(fleet);
        if (!problems.isEmpty()) {
            throw new LocalFleetException(file + " is not a valid SocketFleet: " + String.join("; ", problems));
        }
        Path jar = nodeJar != null ? nodeJar : defaultNodeJar();
        if (!Files.isReadable(jar)) {
            throw new LocalFleetException("socket-node jar not found at " + jar + "; build it with 'mvn -DskipTests package'");
        }
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        int nginxPort = port != null ? port : fleet.getSpec().getNginx().getPort();

        LocalFleet running = new LocalFleet(file, fleet, listenAddress, nginxPort, statusPort,
                secretsDir != null ? secretsDir : LocalFleet.defaultSecretsDir(file), java, jar, log);
        log.println("socketfleet: nginx config at " + running.nginxConfig() + "; starting " + fleet.getSpec().getReplicas()
                + " node(s)");
        // Ctrl-C or SIGTERM: stop in order (drain nodes, then nginx and Redis) and exit 0.
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        // Any other way out of the JVM still stops what we started.
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "local-fleet-shutdown"));
        running.start();
        stopRequested.await();
        running.close();
        return 0;
    }

    /** socket-node/target/socket-node.jar next to the operator jar's module, or under the working directory. */
    private static Path defaultNodeJar() {
        try {
            Path self = Path.of(LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = self.getParent().getParent().getParent().resolve("socket-node/target/socket-node.jar");
            if (Files.isReadable(candidate)) {
                return candidate;
            }
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        return Path.of("socket-node/target/socket-node.jar").toAbsolutePath();
    }
}
