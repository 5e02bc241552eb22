package io.socketfleet.operator.local;

import io.socketfleet.operator.FleetFiles;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.NodeSpec;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.reconciler.BackendChanges;
import io.socketfleet.operator.reconciler.FleetValidator;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a SocketFleet on this machine the way the operator runs it on a cluster: it keeps
 * {@code spec.replicas} nodes, lists the ready ones in nginx (same renderer as the
 * ConfigMap), follows edits of the file, drains removed nodes and restarts dead ones.
 * All state changes happen on one supervisor thread.
 */
public final class LocalFleet implements AutoCloseable {

    private static final long TICK_MILLIS = 300;
    private static final int MAX_SLOTS = 250;

    private final Path file;
    private final Path workDir;
    private final Path java;
    private final Path nodeJar;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-fleet");
        thread.setDaemon(true);
        return thread;
    });
    private final List<LocalNode> nodes = new ArrayList<>();
    private final int[] crashes = new int[MAX_SLOTS];
    /** Slots whose node died, and when to restart it there (like a kubelet restarting a container). */
    private final TreeMap<Integer, Long> restarts = new TreeMap<>();
    private boolean closed;
    private final LocalRedis redis;
    private final LocalNginx nginx;
    private SocketFleet fleet;
    private byte[] fileContent;
    private volatile List<BackendStatus> listed = List.of();
    private boolean announced;

    LocalFleet(Path file, SocketFleet fleet, String listenAddress, int port, Path java, Path nodeJar, PrintStream log)
            throws LocalFleetException, IOException {
        this.file = file;
        this.fleet = fleet;
        this.fileContent = Files.readAllBytes(file);
        this.java = java;
        this.nodeJar = nodeJar;
        this.log = log;
        this.workDir = Files.createTempDirectory("socketfleet-local-");
        // nginx workers (an unprivileged user when started as root) must reach their temp dirs.
        workDir.toFile().setReadable(true, false);
        workDir.toFile().setExecutable(true, false);
        LocalRedis startedRedis = null;
        try {
            this.nginx = new LocalNginx(workDir, listenAddress, port, log);
            startedRedis = new LocalRedis(workDir, log);
            this.redis = startedRedis;
            nginx.start(render());
        } catch (LocalFleetException | RuntimeException e) {
            if (startedRedis != null) {
                startedRedis.close();
            }
            deleteWorkDir();
            throw e;
        }
    }

    /**
     * Starts a fleet from a SocketFleet file (validated by the caller) and begins supervising it;
     * for programs that drive local mode themselves, such as the benchmarks.
     */
    public static LocalFleet open(Path file, String listenAddress, int port, Path nodeJar, PrintStream log)
            throws LocalFleetException, IOException {
        SocketFleet fleet = FleetFiles.read(file);
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        LocalFleet running = new LocalFleet(file, fleet, listenAddress, port, java, nodeJar, log);
        running.start();
        return running;
    }

    public Path nginxConfig() {
        return nginx.configPath();
    }

    /** How many nodes nginx lists now (after its last reload). */
    public int listedBackends() {
        return listed.size();
    }

    /** Starts the nodes and the supervision loop. */
    void start() {
        supervisor.scheduleWithFixedDelay(this::supervise, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void supervise() {
        try {
            followFile();
            reapExited();
            nodes.forEach(node -> node.probe(http));
            scale();
            reconfigureNginx();
        } catch (RuntimeException e) {
            log.println("socketfleet: supervisor error: " + e);
        }
    }

    /** Picks up edits of the fleet file; an invalid edit is reported and changes nothing. */
    private void followFile() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return; // being rewritten by an editor; look again next tick
        }
        if (Arrays.equals(content, fileContent)) {
            return;
        }
        fileContent = content;
        SocketFleet edited;
        try {
            edited = FleetFiles.read(file);
        } catch (IOException e) {
            log.println("socketfleet: ignoring the edit, the running fleet is unchanged: " + e.getMessage());
            return;
        }
        List<String> problems = FleetValidator.validate(edited);
        if (!problems.isEmpty()) {
            problems.forEach(p -> log.println("socketfleet: invalid edit, the running fleet is unchanged: " + p));
            return;
        }
        if (!Objects.equals(edited.getSpec().getNginx().getPort(), fleet.getSpec().getNginx().getPort())) {
            log.println("socketfleet: spec.nginx.port changes need a restart of 'local'; keeping port "
                    + fleet.getSpec().getNginx().getPort() + " until then");
        }
        log.println("socketfleet: " + file.getFileName() + " changed: replicas " + fleet.getSpec().getReplicas()
                + " -> " + edited.getSpec().getReplicas());
        fleet = edited;
    }

    /** Forgets nodes that exited; one that died without being asked is restarted with backoff. */
    private void reapExited() {
        for (LocalNode node : List.copyOf(nodes)) {
            if (node.isAlive()) {
                continue;
            }
            nodes.remove(node);
            if (node.state() == LocalNode.State.DRAINING) {
                log.println("socketfleet: " + node.name() + " drained and stopped");
            } else {
                int slot = node.slot();
                long backoff = 1000L << Math.min(crashes[slot], 5); // 1 s, 2 s, 4 s, … 32 s
                crashes[slot]++;
                restarts.put(slot, System.currentTimeMillis() + backoff);
                log.println("socketfleet: " + node.name() + " died (exit " + node.process().exitValue()
                        + "); out of nginx now, restarting it in " + backoff / 1000 + " s");
            }
        }
    }

    /** Brings the node count to spec.replicas; nodes with old settings are replaced once new ones are ready. */
    private void scale() {
        int desired = fleet.getSpec().getReplicas();
        NodeSpec wanted = fleet.getSpec().getNode();
        List<LocalNode> current = nodes.stream()
                .filter(n -> n.state() != LocalNode.State.DRAINING && sameSettings(n.settings(), wanted)).toList();
        List<LocalNode> outdated = nodes.stream()
                .filter(n -> n.state() != LocalNode.State.DRAINING && !sameSettings(n.settings(), wanted)).toList();
        // Crashed nodes count as wanted while they wait for their restart, unless scaled away.
        while (!restarts.isEmpty() && current.size() + restarts.size() > desired) {
            restarts.pollLastEntry();
        }
        long now = System.currentTimeMillis();
        int restarted = 0;
        for (var restart : List.copyOf(restarts.entrySet())) {
            if (restart.getValue() <= now) {
                restarts.remove(restart.getKey());
                startNode(restart.getKey(), wanted);
                restarted++;
            }
        }
        for (int missing = desired - current.size() - restarted - restarts.size(); missing > 0; missing--) {
            int slot = freeSlot();
            if (slot < 0) {
                log.println("socketfleet: no free loopback address left for another node");
                return;
            }
            startNode(slot, wanted);
        }
        if (current.size() > desired) {
            // Remove starting nodes first, then the highest slots, like a ReplicaSet scaling down.
            current.stream()
                    .sorted(Comparator.comparing((LocalNode n) -> n.state() == LocalNode.State.READY)
                            .thenComparing(LocalNode::slot, Comparator.reverseOrder()))
                    .limit(current.size() - desired)
                    .forEach(this::drain);
        }
        long currentReady = current.stream().filter(n -> n.state() == LocalNode.State.READY).count();
        if (!outdated.isEmpty() && currentReady >= Math.min(desired, current.size()) && current.size() >= desired) {
            outdated.forEach(this::drain);
        }
    }

    private void startNode(int slot, NodeSpec settings) {
        try {
            nodes.add(LocalNode.start(slot, nodeName(slot), settings, redis, java, nodeJar, log));
            log.println("socketfleet: starting " + nodeName(slot) + " on " + LocalNode.addressOf(slot) + ":" + settings.getPort());
        } catch (LocalFleetException e) {
            log.println("socketfleet: " + e.getMessage() + "; retrying in 5 s");
            restarts.put(slot, System.currentTimeMillis() + 5000);
        }
    }

    private void drain(LocalNode node) {
        log.println("socketfleet: draining " + node.name() + " (its clients reconnect to the other nodes)");
        node.drain();
    }

    private int freeSlot() {
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            final int s = slot;
            if (!restarts.containsKey(slot) && nodes.stream().noneMatch(n -> n.slot() == s)) {
                return slot;
            }
        }
        return -1;
    }

    private String nodeName(int slot) {
        return fleet.getMetadata().getName() + "-node-" + (slot + 1);
    }

    /** Lists the ready nodes in nginx, reloading it in place when that set changed. */
    private void reconfigureNginx() {
        List<BackendStatus> ready = nodes.stream()
                .filter(n -> n.state() == LocalNode.State.READY)
                .map(n -> new BackendStatus(n.name(), n.backend().address(), true))
                .toList();
        String change = BackendChanges.describe(listed, ready);
        if (nginx.apply(render()) && change != null) {
            log.println("socketfleet: " + change + ", nginx reloaded in place");
        }
        listed = ready;
        nodes.stream().filter(n -> n.state() == LocalNode.State.READY).forEach(n -> crashes[n.slot()] = 0);
        if (!announced && ready.size() == fleet.getSpec().getReplicas()) {
            announced = true;
            log.println("");
            log.println("socketfleet: fleet '" + fleet.getMetadata().getName() + "' is up with " + ready.size()
                    + " nodes behind nginx — open " + url());
            log.println("socketfleet: edit " + file + " (spec.replicas) to scale; Ctrl-C stops everything");
            log.println("");
        }
    }

    String url() {
        String listen = nginx.runtime().listen();
        return "http://" + listen + "/";
    }

    /** Ready nodes take new connections; draining ones keep receiving their sessions' requests until they exit. */
    private String render() {
        List<Backend> routed = new ArrayList<>();
        for (LocalNode node : nodes) {
            if (node.state() == LocalNode.State.READY) {
                routed.add(node.backend());
            } else if (node.state() == LocalNode.State.DRAINING && node.isAlive()) {
                routed.add(node.backend().asDraining());
            }
        }
        return NginxConfig.render(fleet, routed, nginx.runtime());
    }

    private static boolean sameSettings(NodeSpec a, NodeSpec b) {
        return Objects.equals(a.getPort(), b.getPort())
                && Objects.equals(a.getPingIntervalMs(), b.getPingIntervalMs())
                && Objects.equals(a.getPingTimeoutMs(), b.getPingTimeoutMs())
                && Objects.equals(a.getDrainSeconds(), b.getDrainSeconds())
                && Objects.equals(a.getMaxConnections(), b.getMaxConnections());
    }

    /** Drains every node, then stops nginx and Redis and removes the work directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.println("socketfleet: stopping: draining " + nodes.size() + " node(s)");
        nodes.forEach(LocalNode::drain);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(fleet.getSpec().getNode().getDrainSeconds() + 10L);
        for (LocalNode node : nodes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!node.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    node.kill();
                }
            } catch (InterruptedException e) {
                node.kill();
            }
        }
        nginx.close();
        redis.close();
        deleteWorkDir();
        log.println("socketfleet: stopped; nothing left running");
    }

    private void deleteWorkDir() {
        try (var paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
