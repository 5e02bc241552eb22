package io.socketfleet.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetSpec;
import io.socketfleet.operator.local.Executables;
import io.socketfleet.operator.local.LocalRedis;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Node socket.io 4.8 servers ({@code bench/js/recovery-server.js}: connection state recovery on,
 * one of its two Redis adapters) on one Redis, behind a real nginx running the config the operator
 * renders for a fleet of default settings, as local mode runs it: the same hash over the same
 * upstream as {@link BenchFleet}'s socket-node fleet. Scaling starts another server and reloads
 * nginx with it in the upstream; nothing else happens, as nothing else would for a Node deployment.
 */
final class NodeSocketIoFleet implements ScalableFleet {

    /** Which of Node socket.io's Redis adapters the servers use. */
    enum Adapter {
        PUBSUB("pubsub", "node socket.io + redis-adapter"), STREAMS("streams", "node socket.io + redis-streams-adapter");

        final String argument;
        final String label;

        Adapter(String argument, String label) {
            this.argument = argument;
            this.label = label;
        }
    }

    private final Adapter adapter;
    private final Path dir;
    private final LocalRedis redis;
    private final SocketFleet fleet;
    private final NginxRuntime runtime;
    private final Path config;
    private final String nginx;
    private final String url;
    private final List<ServerProcess> servers = new ArrayList<>();
    private Process master;

    NodeSocketIoFleet(Adapter adapter, int nodes) throws Exception {
        this.adapter = adapter;
        this.dir = Files.createTempDirectory("bench-node-fleet");
        // nginx workers (an unprivileged user when started as root) must reach their temp dirs.
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        this.redis = new LocalRedis(Files.createDirectory(dir.resolve("redis")), new PrintStream(OutputStream.nullOutputStream()));
        this.fleet = new SocketFleet();
        fleet.setMetadata(new ObjectMetaBuilder().withName("bench").withNamespace("default").build());
        fleet.setSpec(new SocketFleetSpec());
        int port = Repo.freePort();
        this.runtime = new NginxRuntime("127.0.0.1:" + port, dir.resolve("nginx.pid").toString(), dir.toString(),
                dir.resolve("error.log") + " warn", "off");
        this.config = dir.resolve("nginx.conf");
        this.nginx = Executables.find("nginx", "apt-get install nginx-light").toString();
        this.url = "http://127.0.0.1:" + port;
        try {
            addServers(nodes);
            String text = render();
            Files.writeString(config, text);
            master = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", config.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            NginxReloadMemory.awaitConfig(url, text);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public String url() {
        return url;
    }

    /** Starts servers up to {@code nodes} and reloads nginx with all of them in the upstream. */
    @Override
    public void scale(int nodes) throws Exception {
        addServers(nodes);
        String text = render();
        Files.writeString(config, text);
        Process signal = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", config.toString(), "-s", "reload")
                .redirectErrorStream(true).redirectOutput(dir.resolve("reload.out").toFile()).start();
        if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
            throw new IllegalStateException("nginx -s reload failed: " + Files.readString(dir.resolve("reload.out")));
        }
        NginxReloadMemory.awaitConfig(url, text);
    }

    private void addServers(int nodes) throws IOException {
        String redisUrl = redis.url().replace("redis://", "redis://:" + redis.password() + "@");
        while (servers.size() < nodes) {
            int port = Repo.freePort();
            servers.add(ServerProcess.launch(adapter.label, List.of("node", Repo.path("bench/js/recovery-server.js").toString(),
                    "127.0.0.1", Integer.toString(port), redisUrl, adapter.argument), "127.0.0.1", port));
        }
    }

    private String render() {
        List<Backend> backends = servers.stream()
                .map(s -> Backend.parse("node-" + (servers.indexOf(s) + 1), s.url.substring("http://".length()))).toList();
        return NginxConfig.render(fleet, backends, runtime);
    }

    @Override
    public void close() throws Exception {
        if (master != null) {
            master.toHandle().descendants().forEach(ProcessHandle::destroy);
            master.destroy();
            master.waitFor(10, TimeUnit.SECONDS);
        }
        for (ServerProcess server : servers) {
            server.close();
        }
        redis.close();
    }
}
