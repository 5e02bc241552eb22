package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.SocketIoClient;
import io.socketfleet.operator.testing.SocketNodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated managed Redis ({@code spec.redis.replicas: 3}) run as real processes exactly as
 * the operator renders it: each pod's two containers are the StatefulSet's own {@code sh -c}
 * scripts with the pod's own environment (POD_NAME as the downward API gives it, the password as
 * the Secret gives it), every pod on its own loopback address standing in for its DNS name and IP,
 * its {@code /conf} and {@code /data} temporary directories standing in for the emptyDir and the
 * claim. Two real socket-nodes get the environment the operator renders for the node pods.
 *
 * <p>Then: the master killed with kill -9 — the Sentinels promote a replica, the nodes follow and
 * broadcasts between them resume, clients connected throughout stay connected; the killed pod
 * restarted comes back as a replica of the new master, its Sentinel restarted is known to the
 * others as the one they knew (not as a fourth); every pod killed with kill -9 and started
 * again on its volume — the stored session is still there (append-only files) and broadcasts
 * cross again.
 */
class ReplicatedRedisIT {

    private static final String PASSWORD = "replicated-test-password";
    private final List<Process> started = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    /** Where the cluster DNS name of each pod points here. */
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private int redisPort = RedisConnection.PORT;
    private int sentinelPort = ReplicatedRedis.SENTINEL_PORT;

    /** One pod: its name, loopback address, directories, and its two containers' processes. */
    private final class Pod {
        final String name;
        final String ip;
        final Path conf;
        final Path data;
        Process redis;
        Process sentinel;

        Pod(String name, String ip) throws IOException {
            this.name = name;
            this.ip = ip;
            this.conf = Files.createTempDirectory(name + "-conf");
            this.data = Files.createTempDirectory(name + "-data");
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theRenderedSetFailsOverTheNodesFollowAndARestartLosesNoSession() throws Exception {
        SocketFleet fleet = Fleets.fleet("chat", "ha", 2);
        fleet.getSpec().getRedis().setReplicas(3);
        PodSpec pod = RedisStatefulSetDependent.pod(fleet);
        Container redisContainer = pod.getContainers().get(0);
        Container sentinelContainer = pod.getContainers().get(1);
        assertEquals("sentinel", sentinelContainer.getName());

        String prefix = "127." + ThreadLocalRandom.current().nextInt(64, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        List<String> hosts = ReplicatedRedis.hosts(fleet);
        for (int i = 0; i < hosts.size(); i++) {
            addresses.put(hosts.get(i), prefix + (i + 1));
            pods.put(hosts.get(i), new Pod("chat-redis-" + i, prefix + (i + 1)));
        }
        choosePorts();

        // As a StatefulSet starts them: one pod after the other, each once its Redis answers.
        for (Pod each : pods.values()) {
            startPod(each, redisContainer, sentinelContainer);
        }
        awaitSentinelsAgree(2);
        Pod first = pods.values().iterator().next();
        assertEquals(first.ip, master(), "pod 0 starts as the master");
        for (Pod each : pods.values()) {
            if (each != first) {
                assertEquals("slave", role(each).get(0), each.name + " replicates");
            }
        }

        // What recovery promises to keep: a session and a stream entry, written to the master.
        cli(first.ip, redisPort, "SET", "sio:session:pid-1", "session-of-pid-1", "PX", "3600000");
        cli(first.ip, redisPort, "XADD", "socket.io", "*", "uid", "node-a", "nsp", "/", "type", "3", "data", "kept");

        Map<String, String> nodeEnv = nodeEnvironment(fleet);
        SocketNodeProcess a = node("127.0.0.2", "replicated-a", nodeEnv);
        SocketNodeProcess b = node("127.0.0.3", "replicated-b", nodeEnv);
        SocketIoClient sender = client(a);
        SocketIoClient receiver = client(b);
        int[] round = {0};
        await().atMost(Duration.ofSeconds(60)).until(() -> broadcastCrosses(sender, receiver, ++round[0]));

        // kill -9 of the master: the Sentinels agree it is down, promote a replica; the nodes follow.
        first.redis.destroyForcibly();
        first.redis.waitFor(10, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> broadcastCrosses(sender, receiver, ++round[0]));
        String promoted = master();
        System.out.printf("replicated managed Redis: broadcasts crossed nodes again %.1f s after kill -9 of the master "
                + "(Sentinels' down-after %d ms); %s promoted%n", (System.nanoTime() - killedAt) / 1e9,
                ReplicatedRedis.DOWN_AFTER_MILLIS, promoted);
        assertNotEquals(first.ip, promoted, "a replica was promoted");
        assertEquals("session-of-pid-1", cli(promoted, redisPort, "GET", "sio:session:pid-1"));

        // The kubelet restarts the killed container: it asks the Sentinels and comes back as a replica of the new master.
        first.redis = startContainer(first, redisContainer, "redis");
        awaitListening(first.ip, redisPort, first.redis);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> role(first).get(0).equals("slave")
                && role(first).get(1).equals(promoted));

        // Its Sentinel restarted too: the others know it as the one they knew, not as a fourth Sentinel.
        first.sentinel.destroyForcibly();
        first.sentinel.waitFor(10, TimeUnit.SECONDS);
        first.sentinel = startContainer(first, sentinelContainer, "sentinel");
        awaitListening(first.ip, sentinelPort, first.sentinel);
        awaitSentinelsAgree(2);

        // Every container of every pod killed at once, then started again on its own volume.
        for (Pod each : pods.values()) {
            each.redis.destroyForcibly();
            each.sentinel.destroyForcibly();
            each.redis.waitFor(10, TimeUnit.SECONDS);
            each.sentinel.waitFor(10, TimeUnit.SECONDS);
        }
        for (Pod each : pods.values()) {
            startPod(each, redisContainer, sentinelContainer);
        }
        awaitSentinelsAgree(2);
        String afterRestart = master();
        String session = cli(afterRestart, redisPort, "GET", "sio:session:pid-1");
        String streamLength = cli(afterRestart, redisPort, "XLEN", "socket.io");
        System.out.printf("replicated managed Redis after kill -9 of every pod: master %s, session '%s', stream length %s%n",
                afterRestart, session, streamLength);
        assertEquals("session-of-pid-1", session, "the append-only files kept the session");
        assertEquals("1", streamLength);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> broadcastCrosses(sender, receiver, ++round[0]));
    }

    private void choosePorts() throws IOException {
        // The rendered ports, unless something on this machine holds them on every address (then any free pair).
        if (!bindable(RedisConnection.PORT) || !bindable(ReplicatedRedis.SENTINEL_PORT)) {
            redisPort = freePort();
            sentinelPort = freePort();
        }
    }

    private boolean bindable(int port) {
        for (Pod pod : pods.values()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(pod.ip), port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private void startPod(Pod pod, Container redis, Container sentinel) throws IOException {
        pod.redis = startContainer(pod, redis, "redis");
        pod.sentinel = startContainer(pod, sentinel, "sentinel");
        awaitListening(pod.ip, redisPort, pod.redis);
        awaitListening(pod.ip, sentinelPort, pod.sentinel);
    }

    /** The container's own script and environment, with this pod's values where a cluster would supply them. */
    private Process startContainer(Pod pod, Container container, String log) throws IOException {
        assertEquals(List.of("sh", "-c"), container.getCommand().subList(0, 2));
        String script = container.getCommand().get(2);
        assertTrue(script.contains(ReplicatedRedis.CONF_DIR + "/"), script);
        script = script.replace(ReplicatedRedis.CONF_DIR, pod.conf.toString()).replace("dir /data", "dir " + pod.data);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(pod.conf.resolve(log + ".log").toFile()));
        builder.environment().putAll(environment(pod, container));
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private Map<String, String> environment(Pod pod, Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            String value;
            if (var.getValue() != null) {
                value = var.getValue();
            } else if (var.getValueFrom().getFieldRef() != null) {
                assertEquals("metadata.name", var.getValueFrom().getFieldRef().getFieldPath());
                value = pod.name;
            } else {
                assertNotNull(var.getValueFrom().getSecretKeyRef(), var.getName());
                value = PASSWORD;
            }
            env.put(var.getName(), value);
        }
        assertEquals(String.join(" ", addresses.keySet()), env.get("REDIS_NODES"));
        env.put("REDIS_NODES", String.join(" ", addresses.values()));
        assertEquals(ReplicatedRedis.BIND_ALL, env.get("REDIS_BIND"));
        env.put("REDIS_BIND", pod.ip);
        env.put("REDIS_PORT", Integer.toString(redisPort));
        env.put("SENTINEL_PORT", Integer.toString(sentinelPort));
        return env;
    }

    /** The node pods' Redis environment as rendered, the Sentinels' DNS names pointing at their loopback addresses. */
    private Map<String, String> nodeEnvironment(SocketFleet fleet) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : RedisConnection.env(fleet)) {
            env.put(var.getName(), var.getValue() != null ? var.getValue() : PASSWORD);
        }
        String sentinels = env.get("REDIS_SENTINEL_ADDRESSES");
        for (Map.Entry<String, String> host : addresses.entrySet()) {
            sentinels = sentinels.replace(host.getKey() + ":" + ReplicatedRedis.SENTINEL_PORT, host.getValue() + ":" + sentinelPort);
        }
        env.put("REDIS_SENTINEL_ADDRESSES", sentinels);
        assertEquals(Map.of("REDIS_SENTINEL_MASTER", "socketfleet", "REDIS_SENTINEL_ADDRESSES", sentinels,
                "REDIS_PASSWORD", PASSWORD, "REDIS_SENTINEL_PASSWORD", PASSWORD), env);
        return env;
    }

    private SocketNodeProcess node(String ip, String name, Map<String, String> env) throws IOException {
        SocketNodeProcess node = SocketNodeProcess.start(ip, freePort(), name, env);
        closeables.add(0, node);
        return node;
    }

    private SocketIoClient client(SocketNodeProcess node) throws Exception {
        SocketIoClient client = SocketIoClient.connect(node.address());
        closeables.add(0, client);
        return client;
    }

    /** A chat message from a client of node a reaches a client of node b (through Redis). */
    private static boolean broadcastCrosses(SocketIoClient sender, SocketIoClient receiver, int round) throws InterruptedException {
        String text = "round " + round;
        sender.emit("[\"chat\",{\"from\":\"test\",\"text\":\"" + text + "\"}]");
        return receiver.awaitEvent("\"" + text + "\"", Duration.ofSeconds(3)) != null;
    }

    /** Every Sentinel names the same master and knows {@code replicas} replicas and the other Sentinels. */
    private void awaitSentinelsAgree(int replicas) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            String master = null;
            for (Pod pod : pods.values()) {
                String named = cli(pod.ip, sentinelPort, "SENTINEL", "get-master-addr-by-name", ReplicatedRedis.MASTER_NAME)
                        .lines().findFirst().orElse("");
                String info = cli(pod.ip, sentinelPort, "SENTINEL", "master", ReplicatedRedis.MASTER_NAME);
                if (master != null && !master.equals(named) || !info.contains("num-slaves\n" + replicas)
                        || !info.contains("num-other-sentinels\n" + (pods.size() - 1))) {
                    return false;
                }
                master = named;
            }
            return true;
        });
    }

    /** The master as the Sentinels name it. */
    private String master() throws Exception {
        for (Pod pod : pods.values()) {
            try {
                String named = cli(pod.ip, sentinelPort, "SENTINEL", "get-master-addr-by-name", ReplicatedRedis.MASTER_NAME);
                if (!named.isBlank()) {
                    return named.lines().findFirst().orElseThrow();
                }
            } catch (IllegalStateException askTheNext) {
                // that Sentinel is down
            }
        }
        throw new IllegalStateException("no Sentinel names a master");
    }

    /** ROLE: [master] or [slave, master host, …]. */
    private List<String> role(Pod pod) throws Exception {
        return cli(pod.ip, redisPort, "ROLE").lines().toList();
    }

    private static void awaitListening(String ip, int port, Process process) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + " before listening on " + ip + ":" + port);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(ip, port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** redis-cli's raw answer, one value per line; the password as REDISCLI_AUTH, as the pods give it. */
    private static String cli(String ip, int port, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-h", ip, "-p", Integer.toString(port), "--raw"));
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", PASSWORD);
        Process cli = builder.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0 || out.startsWith("ERR") || out.startsWith("NOAUTH")) {
            throw new IllegalStateException("redis-cli " + String.join(" ", command) + ": " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
