package io.socketfleet.node.testing;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Redis as Sentinel runs it, on loopback: one master, one replica and three Sentinels
 * ({@code redis-server sentinel.conf --sentinel}) that agree (quorum 2) when the master is gone
 * for a second and promote the replica. With certificates, everything speaks TLS only: the
 * servers and Sentinels listen on {@code tls-port} alone, replication and the Sentinels' own
 * connections to the servers and to each other use TLS too.
 */
public final class SentinelGroup implements AutoCloseable {

    public static final String MASTER_NAME = "fleet-master";

    private final RedisServer first;
    private final RedisServer second;
    private final List<Process> sentinels = new ArrayList<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final Path dir;
    private final TestCertificates certs;

    public SentinelGroup() throws IOException {
        this(null);
    }

    /** TLS only, with the servers' and Sentinels' certificate {@code server} of {@code certs} (null: plain TCP). */
    public SentinelGroup(TestCertificates certs) throws IOException {
        this.certs = certs;
        dir = Files.createTempDirectory("sentinels");
        // Each may be demoted to a replica later, so each knows the password to replicate with.
        first = server(List.of("--masterauth", RedisServer.PASSWORD));
        second = server(List.of("--masterauth", RedisServer.PASSWORD,
                "--replicaof", "127.0.0.1", Integer.toString(first.port())));
        Path redis = Tools.require("redis-server", "apt-get install redis-server");
        for (int i = 0; i < 3; i++) {
            int port = RedisServer.freePort();
            Path conf = dir.resolve("sentinel-" + i + ".conf");
            List<String> listen = certs == null ? List.of("port " + port) : List.of("port 0", "tls-port " + port,
                    "tls-cert-file " + certs.cert("server"), "tls-key-file " + certs.key("server"),
                    "tls-ca-cert-file " + certs.ca(), "tls-auth-clients no",
                    // The Sentinels reach the servers (and each other) over TLS too.
                    "tls-replication yes");
            Files.writeString(conf, String.join("\n", listen) + "\n" + String.join("\n",
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + first.port() + " 2",
                    "sentinel auth-pass " + MASTER_NAME + " " + RedisServer.PASSWORD,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
            Path log = dir.resolve("sentinel-" + i + ".log");
            Process sentinel = new ProcessBuilder(redis.toString(), conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            sentinels.add(sentinel);
            sentinelPorts.add(port);
            RedisServer.awaitListening(port, sentinel, log);
        }
        // Ready when every Sentinel knows the replica and the two other Sentinels.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                sentinelPorts.stream().allMatch(port -> {
                    try (Jedis asked = sentinel(port)) {
                        Map<String, String> master = asked.sentinelMaster(MASTER_NAME);
                        return "1".equals(master.get("num-slaves")) && "2".equals(master.get("num-other-sentinels"));
                    }
                }));
    }

    private RedisServer server(List<String> options) throws IOException {
        if (certs == null) {
            return new RedisServer(options);
        }
        List<String> tlsOptions = new ArrayList<>(options);
        tlsOptions.addAll(List.of("--tls-replication", "yes"));
        return RedisServer.tls(certs, "server", false, tlsOptions);
    }

    private Jedis sentinel(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), config().timeoutMillis(2_000).build());
    }

    /** A client config for the servers and Sentinels: TLS trusting the test CA when the group uses TLS. */
    private DefaultJedisClientConfig.Builder config() {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder();
        return certs == null ? builder : builder.ssl(true).sslSocketFactory(certs.trustingSocketFactory());
    }

    /** {@code host:port} of each Sentinel. */
    public List<String> addresses() {
        return sentinelPorts.stream().map(port -> "127.0.0.1:" + port).toList();
    }

    /** The master as the first Sentinel that answers names it. */
    public HostAndPort master() {
        for (int port : sentinelPorts) {
            try (Jedis asked = sentinel(port)) {
                List<String> address = asked.sentinelGetMasterAddrByName(MASTER_NAME);
                return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
            } catch (RuntimeException tryTheNext) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel answered");
    }

    /** kill -9 of whichever server is the master now; returns it. */
    public HostAndPort killMaster() throws InterruptedException {
        HostAndPort master = master();
        RedisServer server = master.getPort() == first.port() ? first : second;
        server.kill();
        return master;
    }

    /** SENTINEL FAILOVER: the master is demoted, alive, and the replica promoted. */
    public void failover() {
        try (Jedis asked = sentinel(sentinelPorts.get(0))) {
            asked.sentinelFailover(MASTER_NAME);
        }
    }

    /** How many clients of the server at {@code address} hold a pattern subscription (CLIENT LIST, psub > 0). */
    public long patternSubscribers(HostAndPort address) {
        try (Jedis server = new Jedis(address, config().password(RedisServer.PASSWORD).build())) {
            return server.clientList().lines().filter(client -> !client.contains(" psub=0 ")).count();
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process sentinel : sentinels) {
            sentinel.destroy();
            sentinel.waitFor(10, TimeUnit.SECONDS);
        }
        first.close();
        second.close();
    }
}
