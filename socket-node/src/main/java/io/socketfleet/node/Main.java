package io.socketfleet.node;

import io.socketfleet.node.demo.DemoApp;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.contract.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** socket-node's command line: every flag also reads from the environment variable shown in --help. */
@Command(name = "socket-node", mixinStandardHelpOptions = true, version = "socket-node 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A socket.io-compatible server (Engine.IO v4 / Socket.IO v5) with the socketfleet demo app.")
public final class Main implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--port", defaultValue = "${env:PORT:-3000}", description = "Port to listen on (env PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "${env:BIND:-0.0.0.0}", description = "Address to listen on (env BIND, default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}", description = "Name shown to clients (env NODE_NAME, default: the host name).")
    String nodeName;

    @Option(names = "--advertise-address", defaultValue = "${env:ADVERTISE_ADDRESS}",
            description = "IP:PORT the load balancer reaches this node at; session ids carry its route token "
                    + "(env ADVERTISE_ADDRESS, default: \\$POD_IP or the bind address, and the port).")
    String advertiseAddress;

    @Option(names = "--redis", defaultValue = "${env:REDIS_URL}",
            description = "Redis URL for cross-node broadcast, e.g. redis://:password@host:6379 (env REDIS_URL; none: single node).")
    URI redis;

    @Option(names = "--redis-password", defaultValue = "${env:REDIS_PASSWORD}",
            description = "Redis password, overriding the URL's (env REDIS_PASSWORD).")
    String redisPassword;

    @Option(names = "--ping-interval", defaultValue = "${env:PING_INTERVAL_MS:-25000}", description = "Server ping interval in ms (env PING_INTERVAL_MS, default ${DEFAULT-VALUE}).")
    long pingIntervalMillis;

    @Option(names = "--ping-timeout", defaultValue = "${env:PING_TIMEOUT_MS:-20000}", description = "Pong wait in ms before closing (env PING_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long pingTimeoutMillis;

    @Option(names = "--max-payload", defaultValue = "${env:MAX_PAYLOAD:-1000000}", description = "Largest packet or polling body in bytes (env MAX_PAYLOAD, default ${DEFAULT-VALUE}).")
    int maxPayload;

    @Option(names = "--max-connections", defaultValue = "${env:MAX_CONNECTIONS:-100000}", description = "Open sessions beyond which handshakes get 503 (env MAX_CONNECTIONS, default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-buffered-bytes", defaultValue = "${env:MAX_BUFFERED_BYTES:-4194304}", description = "Bytes queued for one slow client before it is dropped (env MAX_BUFFERED_BYTES, default ${DEFAULT-VALUE}).")
    long maxBufferedBytes;

    @Option(names = "--connect-timeout", defaultValue = "${env:CONNECT_TIMEOUT_MS:-45000}", description = "Time in ms a client has to join a namespace (env CONNECT_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    long connectTimeoutMillis;

    @Option(names = "--drain-seconds", defaultValue = "${env:DRAIN_SECONDS:-10}", description = "On SIGTERM, close open sessions spread over this many seconds (env DRAIN_SECONDS, default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--cors-origin", split = ",", defaultValue = "${env:CORS_ORIGINS}",
            description = "Origins allowed cross-origin, comma-separated, * for any (env CORS_ORIGINS; default: same origin only).")
    List<String> corsOrigins;

    @Option(names = "--demo", negatable = true, defaultValue = "${env:DEMO:-true}", fallbackValue = "true",
            description = "Install the demo chat and presence app (env DEMO, default ${DEFAULT-VALUE}).")
    boolean demo;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            System.err.println("socket-node: " + e.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config = toConfig();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        DemoApp[] demoApp = new DemoApp[1];
        SocketNode node = SocketNode.start(config, n -> {
            if (config.demo()) {
                demoApp[0] = DemoApp.install(n.io(), config.nodeName(), config.redisUrl(), config.redisPassword());
            }
        });
        stop.await();
        log.info("stop requested: draining over {} s", drainSeconds);
        try {
            node.drain().get(drainSeconds + 5L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("drain did not finish in time; closing the remaining sessions");
        }
        if (demoApp[0] != null) {
            demoApp[0].close();
        }
        node.close();
        log.info("node {} stopped", config.nodeName());
        return 0;
    }

    private NodeConfig toConfig() {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        require(port >= 0 && port <= 65535, spec, "--port must be 0-65535, got " + port);
        require(pingIntervalMillis > 0 && pingTimeoutMillis > 0, spec, "--ping-interval and --ping-timeout must be positive");
        require(maxPayload > 0 && maxConnections > 0 && maxBufferedBytes > 0, spec, "limits must be positive");
        require(drainSeconds >= 0, spec, "--drain-seconds must be 0 or more");
        require(connectTimeoutMillis > 0, spec, "--connect-timeout must be positive");
        HostPort advertised = null;
        if (advertiseAddress != null) {
            try {
                advertised = HostPort.parse(advertiseAddress);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--advertise-address: " + e.getMessage());
            }
        }
        if (redis != null) {
            require("redis".equals(redis.getScheme()) || "rediss".equals(redis.getScheme()), spec,
                    "--redis must be a redis:// URL, got " + redis);
        }
        EngineOptions engine = EngineOptions.defaults()
                .withPing(Duration.ofMillis(pingIntervalMillis), Duration.ofMillis(pingTimeoutMillis))
                .withMaxPayload(maxPayload)
                .withMaxConnections(maxConnections)
                .withMaxBufferedBytes(maxBufferedBytes)
                .withCorsOrigins(corsOrigins == null ? List.of() : corsOrigins);
        return new NodeConfig(bind, port, nodeName == null || nodeName.isBlank() ? hostName() : nodeName,
                advertised, redis, redisPassword, engine, Duration.ofMillis(connectTimeoutMillis),
                Duration.ofSeconds(drainSeconds), demo);
    }

    private static void require(boolean condition, CommandLine.Model.CommandSpec spec, String message) {
        if (!condition) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "socket-node";
        }
    }
}
