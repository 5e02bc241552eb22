package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import io.socketfleet.node.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Certificates rotated under running nodes, as a cluster rotates them: a real TLS-only Redis that
 * requires client certificates moves to a new CA ({@code CONFIG SET tls-*}, new connections only)
 * and drops its clients; the nodes, still holding the old CA bundle and client certificate, cannot
 * get back in; then their mounted files are swapped the way the kubelet swaps a Secret's
 * ({@code ..data} symlink renamed over) and the nodes, never restarted, reconnect with the new
 * ones: broadcasts reach official socket.io-clients again.
 */
class RedisTlsRotationIT {

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void nodesPickUpRotatedCaAndClientCertificateOnReconnect() throws Exception {
        TestCertificates before = TestCertificates.generate();
        TestCertificates after = TestCertificates.generate();
        int adminPort = RedisServer.freePort();
        // TLS for the nodes; a plain loopback port besides for the test to reconfigure it.
        RedisServer redis = RedisServer.tls(before, "server", true, List.of("--port", Integer.toString(adminPort)));
        started.add(redis);

        MountedSecret mounted = new MountedSecret(Files.createTempDirectory("redis-client-tls"));
        mounted.write(before);
        RedisSettings.Tls tls = new RedisSettings.Tls(false, mounted.file("ca.crt"), mounted.file("tls.crt"),
                mounted.file("tls.key"), true);
        SocketNode a = node("rotate-a", redis, tls);
        SocketNode b = node("rotate-b", redis, tls);
        awaitUp(a, b);
        broadcastReachesEveryClient("before the rotation", a, b);

        try (Jedis admin = new Jedis(new HostAndPort("127.0.0.1", adminPort),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build())) {
            admin.configSet("tls-cert-file", after.cert("server").toString(), "tls-key-file", after.key("server").toString(),
                    "tls-ca-cert-file", after.ca().toString());
            admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
            admin.clientKill(new ClientKillParams().type(ClientType.NORMAL)
                    .skipMe(ClientKillParams.SkipMe.YES));
        }
        // The old CA does not trust the new server certificate: the nodes stay out while their files are old.
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.broker().orElseThrow().isUp() && !b.broker().orElseThrow().isUp()
                && a.broker().orElseThrow().subscriberState().contains("PKIX path"));

        mounted.write(after);
        long rotatedAt = System.nanoTime();
        awaitUp(a, b);
        System.out.printf("certificate rotation: nodes back on Redis %.1f s after their mounted files changed, no restart%n",
                (System.nanoTime() - rotatedAt) / 1e9);
        broadcastReachesEveryClient("after the rotation", a, b);
    }

    private SocketNode node(String name, RedisServer redis, RedisSettings.Tls tls) throws Exception {
        SocketNode node = SocketNode.start(NodeConfig.localDefaults(name)
                .withRedis(RedisSettings.of(redis.url(), RedisServer.PASSWORD).withTls(tls)), TestApp::install);
        started.add(node);
        return node;
    }

    private static void awaitUp(SocketNode... nodes) {
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of(nodes).stream().allMatch(n -> n.broker().orElseThrow().isUp()));
    }

    private static void broadcastReachesEveryClient(String payload, SocketNode... nodes) {
        List<String> urls = List.of(nodes).stream().map(n -> "http://127.0.0.1:" + n.port()).toList();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", urls, "perUrl", 2,
                    "event", "all", "trigger", "emit-all", "payload", payload, "settleMs", 1500)).get("received");
            assertEquals(2 * nodes.length, received.size());
            for (JsonNode client : received) {
                assertEquals("[[\"" + payload + "\",{\"binary\":[4,5,6]}]]", client.get("events").toString());
            }
        });
    }

    /**
     * A Secret volume as the kubelet lays it out: each key a symlink through {@code ..data} to a
     * timestamped directory, and an update an atomic rename of a new {@code ..data} link over the old.
     */
    private static final class MountedSecret {
        private final Path dir;
        private int version;

        MountedSecret(Path dir) {
            this.dir = dir;
        }

        Path file(String key) {
            return dir.resolve(key);
        }

        void write(TestCertificates certs) throws Exception {
            Path payload = Files.createDirectory(dir.resolve("..v" + ++version));
            Files.copy(certs.ca(), payload.resolve("ca.crt"));
            Files.copy(certs.cert("client-pkcs8"), payload.resolve("tls.crt"));
            Files.copy(certs.key("client-pkcs8"), payload.resolve("tls.key"));
            Path next = dir.resolve("..data_tmp");
            Files.createSymbolicLink(next, payload.getFileName());
            Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            for (String key : List.of("ca.crt", "tls.crt", "tls.key")) {
                if (!Files.isSymbolicLink(dir.resolve(key))) {
                    Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
                }
            }
            assertFalse(Files.readString(file("ca.crt")).isEmpty());
        }
    }
}
