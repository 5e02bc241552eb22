package io.socketfleet.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetSpec;
import io.socketfleet.operator.local.Executables;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * nginx reloaded again and again while websockets stay open, with the config the
 * operator renders. Clients keep arriving (an equal share after each reload), as on a live
 * fleet, so every worker generation holds some websockets. Measures nginx's memory (RSS and
 * PSS of master and workers, from /proc) after the reloads and after the old workers'
 * {@code worker_shutdown_timeout}, and the websockets dropped before that timeout (the goal:
 * none) — with the rendered timeout, and without one for contrast.
 */
final class NginxReloadMemory implements Scenario {

    private static final double MB = 1_000_000.0;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    public String name() {
        return "nginx-reloads";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        List<ServerProcess> nodes = new ArrayList<>();
        try (LoadClient load = new LoadClient(2)) {
            for (int i = 0; i < 3; i++) {
                nodes.add(ServerProcess.start(ServerProcess.Kind.SOCKET_NODE, Repo.freePort(), null, null));
            }
            List<Backend> backends = new ArrayList<>();
            for (ServerProcess node : nodes) {
                backends.add(Backend.parse("bench-node", node.url.substring("http://".length())));
            }
            run(settings, results, load, backends, true);
            run(settings, results, load, backends, false);
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
    }

    private void run(Settings settings, Results results, LoadClient load, List<Backend> backends, boolean shutdownTimeout)
            throws Exception {
        int timeoutSeconds = settings.reloadShutdownTimeoutSeconds();
        String subject = shutdownTimeout ? "worker_shutdown_timeout " + timeoutSeconds + " s" : "no worker_shutdown_timeout";
        Path dir = Files.createTempDirectory("bench-nginx-reloads");
        // nginx workers (an unprivileged user when started as root) must reach their temp dirs.
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        SocketFleet fleet = fleet(timeoutSeconds);
        int port = Repo.freePort();
        NginxRuntime runtime = new NginxRuntime("127.0.0.1:" + port, false, NginxRuntime.inPod(fleet.getSpec().getNginx()).workerProcesses(),
                dir.resolve("nginx.pid").toString(), dir.toString(), dir.resolve("error.log") + " warn", "off");
        Path config = dir.resolve("nginx.conf");
        String nginx = Executables.find("nginx", "apt-get install nginx-light").toString();
        String url = "http://127.0.0.1:" + port;

        Files.writeString(config, render(fleet, backends, 0, runtime, shutdownTimeout));
        Process master = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", config.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        List<Connection> clients = new ArrayList<>();
        AtomicBoolean closing = new AtomicBoolean();
        AtomicInteger dropped = new AtomicInteger();
        try {
            awaitConfig(url, Files.readString(config));
            Memory before = Memory.of(master.toHandle());
            int perGeneration = settings.reloadWebsockets() / settings.reloads();
            long lastReload = 0;
            for (int reload = 1; reload <= settings.reloads(); reload++) {
                String next = render(fleet, backends, reload, runtime, shutdownTimeout);
                Files.writeString(config, next);
                Process signal = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", config.toString(), "-s", "reload")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("reload.out").toFile()).start();
                if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
                    throw new IllegalStateException("nginx -s reload failed; see " + dir.resolve("reload.out"));
                }
                awaitConfig(url, next);
                lastReload = System.nanoTime();
                for (Connection client : load.connect(url, perGeneration, 64)) {
                    client.channel.closeFuture().addListener(f -> {
                        if (!closing.get()) {
                            dropped.incrementAndGet();
                        }
                    });
                    clients.add(client);
                }
            }
            Memory afterReloads = Memory.of(master.toHandle());
            int droppedDuringReloads = dropped.get();
            results.add(name(), "nginx RSS before reloads", "MB", subject, before.rss / MB, false);
            results.add(name(), "nginx RSS after reloads", "MB", subject, afterReloads.rss / MB, false);
            results.add(name(), "nginx PSS after reloads", "MB", subject, afterReloads.pss / MB, false);
            results.add(name(), "nginx processes after reloads", "", subject, afterReloads.processes, false);
            results.add(name(), "websockets dropped during reloads", "", subject, droppedDuringReloads, false);
            System.out.printf("  %s: %d websockets over %d reloads; nginx %d processes, RSS %.1f MB (PSS %.1f MB), was %.1f MB; "
                            + "dropped %d%n", subject, clients.size(), settings.reloads(), afterReloads.processes,
                    afterReloads.rss / MB, afterReloads.pss / MB, before.rss / MB, droppedDuringReloads);
            // With the timeout, every generation but the current one ends within the timeout of the last reload.
            long waitNanos = lastReload + TimeUnit.SECONDS.toNanos(timeoutSeconds + 3L) - System.nanoTime();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
            Memory later = Memory.of(master.toHandle());
            int closedByOldWorkers = dropped.get() - droppedDuringReloads;
            results.add(name(), "nginx RSS timeout+3 s later", "MB", subject, later.rss / MB, false);
            results.add(name(), "nginx processes timeout+3 s later", "", subject, later.processes, false);
            results.add(name(), "websockets closed by old workers", "", subject, closedByOldWorkers, false);
            System.out.printf("  %s: %d s after the last reload nginx has %d processes, RSS %.1f MB; %d websockets closed by old "
                    + "workers%n", subject, timeoutSeconds + 3, later.processes, later.rss / MB, closedByOldWorkers);
        } finally {
            closing.set(true);
            LoadClient.closeAll(clients);
            master.toHandle().descendants().forEach(ProcessHandle::destroy);
            master.destroy();
            master.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Reload n alternates between two and three backends, as a fleet scaling up and down does. */
    private static String render(SocketFleet fleet, List<Backend> backends, int reload, NginxRuntime runtime, boolean shutdownTimeout) {
        String text = NginxConfig.render(fleet, reload % 2 == 0 ? backends.subList(0, 2) : backends, runtime);
        return shutdownTimeout ? text : text.replaceAll("(?m)^worker_shutdown_timeout .*\n", "");
    }

    private static SocketFleet fleet(int workerShutdownTimeoutSeconds) {
        SocketFleet fleet = new SocketFleet();
        fleet.setMetadata(new ObjectMetaBuilder().withName("bench").withNamespace("default").build());
        SocketFleetSpec spec = new SocketFleetSpec();
        spec.getNginx().setWorkerShutdownTimeoutSeconds(workerShutdownTimeoutSeconds);
        fleet.setSpec(spec);
        return fleet;
    }

    /** Waits until nginx announces the id written into this config: the reload has taken effect. */
    static void awaitConfig(String url, String config) throws Exception {
        Matcher announced = Pattern.compile(NginxConfig.CONFIG_ID_HEADER + " ([0-9a-f]{16})").matcher(config);
        if (!announced.find()) {
            throw new IllegalStateException("the rendered config announces no id");
        }
        String id = announced.group(1);
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url + "/nginx-healthz")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (id.equals(HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).headers()
                        .firstValue(NginxConfig.CONFIG_ID_HEADER).orElse(null))) {
                    return;
                }
            } catch (IOException notYet) {
                // starting, or between generations
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("nginx did not run config " + id + " within 10 s");
    }

    /** Memory of nginx's master and workers, summed from /proc: RSS counts shared pages in each, PSS shares them out. */
    private record Memory(long rss, long pss, int processes) {

        static Memory of(ProcessHandle master) {
            long rss = 0;
            long pss = 0;
            int processes = 0;
            for (ProcessHandle process : Stream.concat(Stream.of(master), master.children()).toList()) {
                try {
                    rss += kilobytes(Path.of("/proc/" + process.pid() + "/status"), "VmRSS:") * 1024;
                    pss += kilobytes(Path.of("/proc/" + process.pid() + "/smaps_rollup"), "Pss:") * 1024;
                    processes++;
                } catch (IOException exited) {
                    // an old worker that finished between listing and reading
                }
            }
            return new Memory(rss, pss, processes);
        }

        private static long kilobytes(Path file, String field) throws IOException {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IOException("no " + field + " in " + file);
        }
    }
}
