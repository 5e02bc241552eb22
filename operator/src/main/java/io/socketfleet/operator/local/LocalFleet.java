package io.socketfleet.operator.local;

import io.socketfleet.contract.HostPort;
import io.socketfleet.contract.NodeSettings;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.FleetFiles;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.autoscaling.ReplicaRecommender;
import io.socketfleet.operator.local.LocalAction.Died;
import io.socketfleet.operator.local.LocalAction.Drain;
import io.socketfleet.operator.local.LocalAction.Forget;
import io.socketfleet.operator.local.LocalAction.Reload;
import io.socketfleet.operator.local.LocalAction.Start;
import io.socketfleet.operator.local.LocalAction.Stopped;
import io.socketfleet.operator.nginx.NginxConfig;

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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a SocketFleet on this machine the way the operator runs it on a cluster. It owns the
 * processes and the clock: a few times a second it looks at the file and the nodes, asks
 * {@link LocalPlan} what to do, does it, and says so on the console. All of it happens on one
 * supervisor thread.
 */
public final class LocalFleet implements AutoCloseable {

    private static final long TICK_MILLIS = 300;

    private final Path file;
    private final Path workDir;
    private final Path java;
    private final Path nodeJar;
    /** The JVM flags every node starts with, the class-data sharing archive's included. */
    private final List<String> nodeJvm;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-fleet");
        thread.setDaemon(true);
        return thread;
    });
    private final List<LocalNode> nodes = new ArrayList<>();
    /** Slots of crashed nodes waiting for their backoff, and nodes that could not start (reported at the next plan). */
    private final Map<Integer, NodeView> waiting = new TreeMap<>();
    /** The redis-server local mode runs; null with spec.redis.external. */
    private final LocalRedis redis;
    private final LocalNginx nginx;
    private SocketFleet fleet;
    private byte[] fileContent;
    private volatile Routing routing = Routing.EMPTY;
    private final Watchdog redisWatch;
    private final Watchdog nginxWatch;
    private final NginxReloads reloads;
    private final LocalSecrets secrets;
    private final ReplicaRecommender autoscaler = new ReplicaRecommender();
    private boolean announced;
    private boolean closed;

    LocalFleet(Path file, SocketFleet fleet, String listenAddress, int port, Path java, Path nodeJar, PrintStream log)
            throws LocalFleetException, IOException {
        this(file, fleet, listenAddress, port, 0, defaultSecretsDir(file), java, nodeJar, log);
    }

    /**
     * @param statusPort where nginx serves stub_status on 127.0.0.1; 0 for a free port
     * @param secretsDir where the fleet's Secrets are, one file per key (see {@link LocalSecrets})
     */
    LocalFleet(Path file, SocketFleet fleet, String listenAddress, int port, int statusPort, Path secretsDir, Path java, Path nodeJar,
               PrintStream log) throws LocalFleetException, IOException {
        this.file = file;
        this.secrets = new LocalSecrets(secretsDir);
        this.fleet = fleet;
        this.fileContent = Files.readAllBytes(file);
        this.java = java;
        this.nodeJar = nodeJar;
        this.log = log;
        this.nodeJvm = NodeClassArchive.nodeJvmFlags(NodeClassArchive.prepare(java, nodeJar, log));
        this.workDir = Files.createTempDirectory("socketfleet-local-");
        // nginx workers (an unprivileged user when started as root) must reach their temp dirs.
        workDir.toFile().setReadable(true, false);
        workDir.toFile().setExecutable(true, false);
        LocalRedis startedRedis = null;
        try {
            this.nginx = new LocalNginx(workDir, listenAddress, port, statusPort, log);
            if (fleet.getSpec().getRedis().isManaged()) {
                startedRedis = new LocalRedis(workDir, log);
                if (fleet.getSpec().getRedis().isReplicated()) {
                    log.println("socketfleet: local mode runs one redis-server; spec.redis.replicas "
                            + fleet.getSpec().getRedis().getReplicas() + " is for a cluster");
                }
            } else {
                // Checked now, so a missing password or certificate stops 'local' before any node starts.
                LocalRedisConnection.external(fleet.getSpec().getRedis().getExternal(), secrets);
                log.println("socketfleet: using the external Redis of spec.redis.external (" + describe(fleet.getSpec().getRedis().getExternal())
                        + "); secrets from " + secrets.dir());
            }
            this.redis = startedRedis;
            nginx.start(render(Routing.EMPTY));
        } catch (LocalFleetException | RuntimeException e) {
            if (startedRedis != null) {
                startedRedis.close();
            }
            deleteWorkDir();
            throw e;
        }
        this.reloads = new NginxReloads(nginx, log);
        long now = System.currentTimeMillis();
        // Redis comes back on the same port and password, so the nodes find it where it was.
        this.redisWatch = redis == null ? null : new Watchdog("redis-server", redis::isAlive, redis::exit, "cross-node broadcasts pause",
                () -> {
                    redis.restart();
                    return " on " + redis.address() + "; the nodes reconnect to it by themselves";
                }, log, now);
        // nginx comes back with the config it ran; the next plan brings it up to date.
        this.nginxWatch = new Watchdog("nginx", nginx::isAlive, nginx::exit, "nothing answers on " + nginx.runtime().listen(),
                () -> {
                    int orphans = nginx.restart();
                    return " on " + nginx.runtime().listen() + " with " + routing.serving().size() + " ready backend(s)"
                            + (orphans > 0 ? "; stopped the " + orphans + " worker(s) the dead master left serving the old config" : "");
                }, log, now);
    }

    /**
     * Starts a fleet from a SocketFleet file (validated by the caller) and begins supervising it;
     * for programs that drive local mode themselves, such as the benchmarks.
     */
    /** {@code secrets/} beside the fleet file. */
    static Path defaultSecretsDir(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve("secrets");
    }

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
        return routing.serving().size();
    }

    /** Starts the nodes and the supervision loop. */
    void start() {
        supervisor.scheduleWithFixedDelay(this::supervise, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void supervise() {
        try {
            long now = System.currentTimeMillis();
            if (redisWatch != null) {
                redisWatch.check(now);
            }
            nginxWatch.check(now);
            SocketFleet edit = readEdit();
            nodes.forEach(node -> node.probe(http, now));
            List<NodeView> views = new ArrayList<>(waiting.values());
            nodes.forEach(node -> views.add(node.view()));
            autoscale(views, now);
            if (edit != null && edit.getSpec().getAutoscaling() != null && fleet.getSpec().getAutoscaling() != null) {
                // While autoscaling, the autoscaler owns replicas: an edit of other fields does not reset them.
                edit.getSpec().setReplicas(fleet.getSpec().getReplicas());
            }
            LocalPlan plan = LocalPlan.plan(fleet, edit, views, routing, now);
            accept(plan);
            Effects effects = new Effects(now);
            plan.actions().forEach(action -> action.on(effects));
            announceOnce();
        } catch (RuntimeException e) {
            log.println("socketfleet: supervisor error: " + e);
        }
    }

    /**
     * spec.autoscaling, as the operator does it: the ready nodes' sessions give the replicas to run
     * (the file is left as written); the next plan starts or drains nodes to match.
     */
    private void autoscale(List<NodeView> views, long now) {
        if (fleet.getSpec().getAutoscaling() == null) {
            return;
        }
        long sessions = views.stream().filter(v -> v.is(NodeView.Phase.READY)).mapToLong(NodeView::sessions).sum();
        int current = fleet.getSpec().getReplicas();
        int wanted = autoscaler.recommend(fleet.getSpec().getAutoscaling(), current, sessions, now);
        if (wanted != current) {
            log.println("socketfleet: autoscaling: " + sessions + " sessions, replicas " + current + " -> " + wanted);
            fleet.getSpec().setReplicas(wanted);
        }
    }

    /** The file when it changed and parses; an unreadable edit is reported and changes nothing. */
    private SocketFleet readEdit() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return null; // being rewritten by an editor; look again next tick
        }
        if (Arrays.equals(content, fileContent)) {
            return null;
        }
        fileContent = content;
        try {
            return FleetFiles.read(file);
        } catch (IOException e) {
            log.println("socketfleet: ignoring the edit, the running fleet is unchanged: " + e.getMessage());
            return null;
        }
    }

    private void accept(LocalPlan plan) {
        plan.rejected().forEach(p -> log.println("socketfleet: invalid edit, the running fleet is unchanged: " + p));
        if (plan.fleet() != fleet) {
            if (!Objects.equals(plan.fleet().getSpec().getNginx().getPort(), fleet.getSpec().getNginx().getPort())) {
                log.println("socketfleet: spec.nginx.port changes need a restart of 'local'; keeping port "
                        + fleet.getSpec().getNginx().getPort() + " until then");
            }
            log.println("socketfleet: " + file.getFileName() + " changed: replicas " + fleet.getSpec().getReplicas()
                    + " -> " + plan.fleet().getSpec().getReplicas());
            keepRedis(plan.fleet());
            fleet = plan.fleet();
        }
        if (plan.unplaced() > 0) {
            log.println("socketfleet: no free loopback address left for " + plan.unplaced() + " more node(s)");
        }
    }

    /**
     * Which Redis the nodes use is decided at start: an edit that changes spec.redis.external (or
     * drops or adds it) is reported and waits for a restart of 'local'; the rest of the edit applies.
     */
    private void keepRedis(SocketFleet edited) {
        ExternalRedis before = fleet.getSpec().getRedis().getExternal();
        ExternalRedis after = edited.getSpec().getRedis().getExternal();
        if (!Objects.equals(before == null ? null : Serialization.asJson(before), after == null ? null : Serialization.asJson(after))) {
            log.println("socketfleet: spec.redis.external changes need a restart of 'local'; the nodes keep "
                    + (before == null ? "the redis-server local mode started" : "the external Redis (" + describe(before) + ")"));
            edited.getSpec().getRedis().setExternal(before);
        }
    }

    /** Where an external Redis is, for the console: no credentials. */
    private static String describe(ExternalRedis external) {
        String where = external.getSentinel() != null
                ? "master '" + external.getSentinel().getMasterName() + "' via Sentinels " + String.join(",", external.getSentinel().getAddresses())
                : (external.isCluster() ? "Redis Cluster via " : "") + external.getUrl();
        return where + (external.getTls() != null ? ", TLS" : "") + (external.getUsername() != null ? ", user " + external.getUsername() : "");
    }

    /** How a node started now reaches Redis. */
    private LocalRedisConnection redisConnection() throws LocalFleetException {
        return redis != null ? LocalRedisConnection.managed(redis)
                : LocalRedisConnection.external(fleet.getSpec().getRedis().getExternal(), secrets);
    }

    /** Carries out one plan's steps; {@code now} is the time the plan was made for. */
    private final class Effects implements LocalAction.Effects {

        private final long now;

        Effects(long now) {
            this.now = now;
        }

        @Override
        public void start(Start start) {
            startNode(start);
        }

        @Override
        public void drain(Drain drain) {
            node(drain.slot()).ifPresent(node -> {
                log.println("socketfleet: draining " + node.name() + (drain.why() == Drain.Why.OLD_SETTINGS ? " (old settings)" : "")
                        + "; its clients reconnect to the other nodes");
                node.drain();
            });
        }

        @Override
        public void stopped(Stopped stopped) {
            node(stopped.slot()).ifPresent(node -> {
                nodes.remove(node);
                log.println("socketfleet: " + node.name() + " drained and stopped");
            });
        }

        @Override
        public void died(Died died) {
            node(died.slot()).ifPresent(nodes::remove);
            waiting.put(died.slot(), NodeView.crashed(died.slot(), died.crashes()));
            log.println("socketfleet: " + LocalPlan.nodeName(fleet, died.slot()) + " died (" + died.exit() + "); out of nginx now, "
                    + "restarting it in " + died.crashes().secondsLeft(now) + " s"
                    + (died.crashes().failures() > 1 ? " (crash " + died.crashes().failures() + " in a row)" : ""));
        }

        @Override
        public void forget(Forget forget) {
            waiting.remove(forget.slot());
            log.println("socketfleet: not restarting " + LocalPlan.nodeName(fleet, forget.slot()) + ": the fleet no longer needs it");
        }

        @Override
        public void reload(Reload reload) {
            reconfigureNginx(reload, now);
        }
    }

    private Optional<LocalNode> node(int slot) {
        return nodes.stream().filter(n -> n.slot() == slot).findFirst();
    }

    private void startNode(Start start) {
        waiting.remove(start.slot());
        String name = LocalPlan.nodeName(fleet, start.slot());
        NodeSettings settings = LocalPlan.nodeSettings(fleet);
        try {
            nodes.add(LocalNode.start(start.slot(), name, settings, secrets.nodeEnvironment(fleet.getSpec().getAdminUi()),
                    start.crashes(), redisConnection(), java, nodeJvm, nodeJar, log));
            log.println("socketfleet: " + (start.crashes().failing() ? "restarting " : "starting ") + name + " on "
                    + new HostPort(LocalPlan.address(start.slot()), LocalNode.port(settings)));
        } catch (LocalFleetException e) {
            // Reported as a crash at the next plan, which backs off before trying this slot again.
            waiting.put(start.slot(), NodeView.exited(start.slot(), settings, start.crashes(), -1, "could not start: " + e.getMessage()));
        }
    }

    private void reconfigureNginx(Reload reload, long now) {
        if (reloads.reload(render(reload.after()), reload.after().servingChangeFrom(routing), now)) {
            routing = reload.after();
        }
    }

    private void announceOnce() {
        if (!announced && routing.serving().size() == fleet.getSpec().getReplicas()) {
            announced = true;
            log.println("");
            log.println("socketfleet: fleet '" + fleet.getMetadata().getName() + "' is up with " + routing.serving().size()
                    + " nodes behind nginx — open " + url());
            log.println("socketfleet: nginx's counters (stub_status, what the metrics exporter reads in a pod): " + nginx.statusUrl());
            if (fleet.getSpec().getAdminUi().isEnabled()) {
                log.println("socketfleet: admin UI: server URL " + url() + ", path /admin, user " + fleet.getSpec().getAdminUi().getUsername()
                        + " (the password whose bcrypt hash is in " + secrets.dir() + ")");
            }
            log.println("socketfleet: edit " + file + " (spec.replicas) to scale; Ctrl-C stops everything");
            log.println("");
        }
    }

    String url() {
        String listen = nginx.runtime().listen();
        return "http://" + listen + "/";
    }

    private String render(Routing next) {
        return NginxConfig.render(fleet, next.backends(), nginx.runtime());
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
        if (redis != null) {
            redis.close();
        }
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
