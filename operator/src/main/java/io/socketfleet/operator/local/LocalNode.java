package io.socketfleet.operator.local;

import io.socketfleet.operator.api.NodeSpec;
import io.socketfleet.operator.nginx.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One socket-node process on its own loopback address, as a pod has its own IP. */
final class LocalNode {

    enum State { STARTING, READY, DRAINING }

    private final int slot;
    private final String name;
    private final String ip;
    private final int port;
    private final NodeSpec settings;
    private final Process process;
    private State state = State.STARTING;

    private LocalNode(int slot, String name, String ip, int port, NodeSpec settings, Process process) {
        this.slot = slot;
        this.name = name;
        this.ip = ip;
        this.port = port;
        this.settings = settings;
        this.process = process;
    }

    /** 127.0.0.2 for slot 0, 127.0.0.3 for slot 1, … */
    static String addressOf(int slot) {
        return "127.0.0." + (slot + 2);
    }

    static LocalNode start(int slot, String name, NodeSpec settings, LocalRedis redis, Path java, Path jar, PrintStream log)
            throws LocalFleetException {
        String ip = addressOf(slot);
        int port = settings.getPort();
        Ports.requireFree(ip, port, "node " + name);
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--bind", ip, "--port", Integer.toString(port), "--node-name", name,
                "--advertise-address", ip + ":" + port,
                "--redis", redis.url(),
                "--ping-interval", settings.getPingIntervalMs().toString(),
                "--ping-timeout", settings.getPingTimeoutMs().toString(),
                "--drain-seconds", settings.getDrainSeconds().toString(),
                "--max-connections", settings.getMaxConnections().toString()));
        ProcessBuilder builder = new ProcessBuilder(Executables.detached(command)).redirectErrorStream(true);
        builder.environment().put("REDIS_PASSWORD", redis.password());
        try {
            Process process = builder.start();
            OutputRelay.relay(process.getInputStream(), "[" + name + "] ", log);
            return new LocalNode(slot, name, ip, port, settings, process);
        } catch (IOException e) {
            throw new LocalFleetException("could not start node " + name + ": " + e.getMessage(), e);
        }
    }

    /** Asks /readyz; a STARTING or READY node follows the answer. */
    void probe(HttpClient http) {
        if (state == State.DRAINING || !process.isAlive()) {
            return;
        }
        boolean ready;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            ready = response.statusCode() == 200;
        } catch (IOException e) {
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        state = ready ? State.READY : State.STARTING;
    }

    /** SIGTERM: the node refuses new sessions and closes its open ones over its drain period, then exits. */
    void drain() {
        state = State.DRAINING;
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    }

    void kill() {
        process.destroyForcibly();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    int slot() {
        return slot;
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    NodeSpec settings() {
        return settings;
    }

    Backend backend() {
        return new Backend(name, ip, port);
    }
}
