package io.socketfleet.operator.local;

import io.socketfleet.contract.HostPort;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
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
import java.util.Map;

/** One socket-node process on its own loopback address, as a pod has its own IP. */
final class LocalNode {

    private final int slot;
    private final String name;
    private final String ip;
    private final NodeSettings settings;
    private final Backoff crashes;
    private final Process process;
    /** The pods' readiness probe: timeout 2 s, three misses in a row (see NodeDeploymentDependent). */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    static final int MISSES_TO_UNREADY = 3;

    private NodeView.Phase phase = NodeView.Phase.STARTING;
    private int misses;
    private long readySince = -1;
    private int sessions;

    private LocalNode(int slot, String name, NodeSettings settings, Backoff crashes, Process process) {
        this.slot = slot;
        this.name = name;
        this.ip = LocalPlan.address(slot);
        this.settings = settings;
        this.crashes = crashes;
        this.process = process;
    }

    /** @param secrets environment variables carrying secret settings (never flags: {@code ps} shows those) */
    static LocalNode start(int slot, String name, NodeSettings settings, Map<String, String> secrets, Backoff crashes, LocalRedisConnection redis,
                           Path java, List<String> jvmFlags, Path jar, PrintStream log) throws LocalFleetException {
        String ip = LocalPlan.address(slot);
        Ports.requireFree(ip, port(settings), "node " + name);
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        // The fleet's settings plus this node's own place, as a pod gets them from its env.
        command.addAll(redis.applyTo(settings)
                .with(NodeSetting.BIND, ip)
                .with(NodeSetting.NODE_NAME, name)
                .with(NodeSetting.ADVERTISE_ADDRESS, new HostPort(ip, port(settings)).toString())
                .flags());
        ProcessBuilder builder = new ProcessBuilder(Executables.detached(command)).redirectErrorStream(true);
        builder.environment().putAll(redis.environment()); // passwords: not on the command line, ps shows it
        builder.environment().putAll(secrets);
        try {
            Process process = builder.start();
            OutputRelay.relay(process.getInputStream(), "[" + name + "] ", log);
            return new LocalNode(slot, name, settings, crashes, process);
        } catch (IOException e) {
            throw new LocalFleetException("could not start node " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Asks /readyz; a starting node is ready at its first yes, a ready one turns unready only after
     * {@link #MISSES_TO_UNREADY} misses in a row, as the pods' readiness probe does (timeout 2 s,
     * failure threshold 3): one slow answer on a loaded machine must not take the node out of nginx,
     * its sid routes with it, and break its polling clients' sessions. A node that exits is seen at once.
     */
    void probe(HttpClient http, long now) {
        if (phase == NodeView.Phase.DRAINING || !process.isAlive()) {
            return;
        }
        boolean ready;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + new HostPort(ip, port(settings)) + "/readyz"))
                    .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
            ready = response.statusCode() == 200;
        } catch (IOException e) {
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        misses = ready ? 0 : misses + 1;
        if (!ready && phase == NodeView.Phase.READY && misses < MISSES_TO_UNREADY) {
            return;
        }
        if (ready && phase != NodeView.Phase.READY) {
            readySince = now;
        }
        phase = ready ? NodeView.Phase.READY : NodeView.Phase.STARTING;
        if (ready) {
            sessions = askSessions(http).orElse(sessions);
        }
    }

    /** The node's open sessions from /sessionz; empty when it does not answer. */
    private java.util.OptionalInt askSessions(HttpClient http) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + new HostPort(ip, port(settings)) + "/sessionz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? java.util.OptionalInt.of(Integer.parseInt(response.body().strip()))
                    : java.util.OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /** The node as the plan sees it. */
    NodeView view() {
        if (process.isAlive()) {
            return switch (phase) {
                case READY -> NodeView.ready(slot, settings, crashes, readySince).withSessions(sessions);
                case DRAINING -> NodeView.draining(slot, settings);
                default -> NodeView.starting(slot, settings, crashes);
            };
        }
        return phase == NodeView.Phase.DRAINING
                ? NodeView.stopped(slot, settings)
                : NodeView.exited(slot, settings, crashes, phase == NodeView.Phase.READY ? readySince : -1, "exit " + process.exitValue());
    }

    /** SIGTERM: the node refuses new sessions and closes its open ones over its drain period, then exits. */
    void drain() {
        phase = NodeView.Phase.DRAINING;
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    }

    void kill() {
        process.destroyForcibly();
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

    NodeSettings settings() {
        return settings;
    }

    static int port(NodeSettings settings) {
        return settings.intNumber(NodeSetting.PORT);
    }

    Backend backend() {
        return new Backend(name, ip, port(settings));
    }
}
