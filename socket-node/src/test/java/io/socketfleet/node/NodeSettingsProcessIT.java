package io.socketfleet.node;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@link NodeSetting} reaches a running node, once given as flags and once as environment
 * variables: the node's start-up line lists the settings it holds, read back from its config, and
 * the Redis settings show by the node being connected to a TLS Redis that requires a client
 * certificate, an ACL user and its password. Each setting gets a value other than its default, so
 * a setting the node drops shows as its default. Sentinel and Cluster are other ways to reach
 * Redis than the URL, so they get a run of their own, checked by the start-up line alone.
 */
class NodeSettingsProcessIT {

    private static final Set<NodeSetting> OTHER_TOPOLOGIES = Set.of(NodeSetting.REDIS_SENTINEL_MASTER,
            NodeSetting.REDIS_SENTINEL_ADDRESSES, NodeSetting.REDIS_SENTINEL_PASSWORD, NodeSetting.REDIS_CLUSTER);

    private static TestCertificates certs;
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        certs = TestCertificates.generate();
        redis = RedisServer.tls(certs, "server", true, List.of("--user", "settings-probe", "on", ">probe-password",
                "allkeys", "allchannels", "allcommands"));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void everySettingReachesTheNodeAsAFlag() throws Exception {
        NodeSettings given = sample(RedisServer.freePort());
        runAndCheck(given, given.flags(), Map.of(), true);
    }

    @Test
    void everySettingReachesTheNodeAsAnEnvironmentVariable() throws Exception {
        NodeSettings given = sample(RedisServer.freePort());
        runAndCheck(given, List.of(), given.environment(), true);
    }

    @Test
    void theSentinelAndClusterSettingsReachTheNode() throws Exception {
        NodeSettings sentinel = sample(RedisServer.freePort()).with(NodeSetting.REDIS_SENTINEL_MASTER, "fleet-master");
        Map<NodeSetting, String> values = new EnumMap<>(sentinel.values());
        values.remove(NodeSetting.REDIS_URL);
        values.put(NodeSetting.REDIS_SENTINEL_ADDRESSES, "127.0.0.1:" + RedisServer.freePort() + ",sentinel.test:26379");
        values.put(NodeSetting.REDIS_SENTINEL_PASSWORD, "sentinel-secret");
        NodeSettings viaSentinel = new NodeSettings(values);
        runAndCheck(viaSentinel, viaSentinel.flags(), Map.of(), false);

        NodeSettings cluster = sample(RedisServer.freePort()).with(NodeSetting.REDIS_CLUSTER, "true");
        runAndCheck(cluster, List.of(), cluster.environment(), false);
        for (NodeSetting setting : OTHER_TOPOLOGIES) {
            assertNotEquals(setting.defaultValue(), (setting == NodeSetting.REDIS_CLUSTER ? cluster : viaSentinel).text(setting));
        }
    }

    private static void runAndCheck(NodeSettings given, List<String> flags, Map<String, String> env, boolean connects)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (NodeSetting setting : NodeSetting.values()) {
            builder.environment().remove(setting.envName()); // only what this test gives
        }
        builder.environment().remove("POD_IP");
        builder.environment().putAll(env);
        Process node = builder.start();
        try {
            CompletableFuture<String> settingsLine = CompletableFuture.supplyAsync(() -> settingsLine(node));
            String effective = settingsLine.get(30, TimeUnit.SECONDS);
            assertEquals(given.toString(), effective, "the node runs with every setting it was given");
            if (!connects) {
                return;
            }

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + given.text(NodeSetting.PORT);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().lines().anyMatch(l -> l.matches("socketfleet_redis_connected(\\{.*})? 1(\\.0)?")));
        } finally {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The settings listed by the node's start-up line ("node NAME settings: --port=… …"). */
    private static String settingsLine(Process node) {
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String marker = "node settings-probe settings: ";
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    String settings = line.substring(at + marker.length());
                    // Keep draining the output so the node never blocks on a full pipe.
                    Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }));
                    drain.setDaemon(true);
                    drain.start();
                    return settings;
                }
            }
            throw new IllegalStateException("the node exited without listing its settings");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid value other than the default for every setting but the other Redis topologies. */
    private static NodeSettings sample(int port) {
        Map<NodeSetting, String> values = new EnumMap<>(NodeSetting.class);
        for (NodeSetting setting : NodeSetting.values()) {
            if (OTHER_TOPOLOGIES.contains(setting)) {
                continue;
            }
            String value = switch (setting) {
                case PORT -> Integer.toString(port);
                case BIND -> "127.0.0.1";
                case NODE_NAME -> "settings-probe";
                case ADVERTISE_ADDRESS -> "10.1.2.3:4567";
                // TLS from REDIS_TLS, not the scheme; the certificate names 127.0.0.1, but verification is turned off
                case REDIS_URL -> "redis://127.0.0.1:" + redis.port();
                case REDIS_USERNAME -> "settings-probe";
                case REDIS_PASSWORD -> "probe-password";
                case REDIS_TLS_CA_FILE -> certs.ca().toString();
                case REDIS_TLS_CERT_FILE -> certs.cert("client-ec").toString();
                case REDIS_TLS_KEY_FILE -> certs.key("client-ec").toString();
                case ADMIN_UI_USERNAME -> "probe-admin";
                case ADMIN_UI_PASSWORD_HASH -> "$2a$10$kH9sel5n7cHH1bL/6g4cuu8Vfmtn8FM7l.QkEXxClX5T9mQ.reJpm"; // bcryptjs, "s3cret"
                default -> otherThanDefault(setting);
            };
            assertNotEquals(setting.defaultValue(), value, setting.name());
            values.put(setting, value);
        }
        return new NodeSettings(values);
    }

    private static String otherThanDefault(NodeSetting setting) {
        return switch (setting.kind()) {
            case NUMBER -> {
                long value = Long.parseLong(setting.defaultValue());
                yield Long.toString(value < setting.max() ? value + 1 : value - 1);
            }
            case BOOLEAN -> Boolean.toString(!Boolean.parseBoolean(setting.defaultValue()));
            case LIST -> "http://a.test,http://b.test";
            case CHOICE -> setting.choices().get(1);
            default -> fail("give " + setting + " a test value in NodeSettingsProcessIT");
        };
    }
}
