package io.socketfleet.node.testing;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports, password required,
 * no persistence: started with {@code redis-server --cluster-enabled yes} and joined by
 * {@code redis-cli --cluster create … --cluster-yes}.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private final Path dir;

    public RedisCluster() throws Exception {
        dir = Files.createTempDirectory("redis-cluster");
        Path redisServer = Tools.require("redis-server", "apt-get install redis-server");
        try {
            for (int i = 0; i < 3; i++) {
                int port = RedisServer.freePort();
                int busPort = RedisServer.freePort();
                ports.add(port);
                Path nodeDir = Files.createDirectories(dir.resolve("node" + i));
                servers.add(new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-port", Integer.toString(busPort),
                        "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(), "--dir", nodeDir.toString(),
                        "--requirepass", RedisServer.PASSWORD, "--masterauth", RedisServer.PASSWORD,
                        "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
            }
            ports.forEach(RedisCluster::awaitListening);
            create();
            awaitClusterOk();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void create() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Tools.require("redis-cli", "apt-get install redis-tools").toString(),
                "--no-auth-warning", "-a", RedisServer.PASSWORD, "--cluster", "create"));
        ports.forEach(port -> command.add("127.0.0.1:" + port));
        command.add("--cluster-yes");
        Path log = dir.resolve("create.log");
        Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
        }
    }

    private void awaitClusterOk() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (ports.stream().allMatch(port -> {
                try (Jedis jedis = jedis(port)) {
                    return jedis.clusterInfo().contains("cluster_state:ok");
                }
            })) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Redis Cluster did not reach cluster_state:ok; see " + dir);
    }

    private static void awaitListening(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("redis-server on " + port + " did not start");
    }

    /** The masters' ports. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** A plain connection to one master. */
    public Jedis jedis(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build());
    }

    /** The first master's URL without the password: any node of a cluster leads to the rest. */
    public URI url() {
        return URI.create("redis://127.0.0.1:" + ports.get(0));
    }

    public String urlWithPassword() {
        return "redis://:" + RedisServer.PASSWORD + "@127.0.0.1:" + ports.get(0);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process server : servers) {
            server.destroy();
        }
        for (Process server : servers) {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
