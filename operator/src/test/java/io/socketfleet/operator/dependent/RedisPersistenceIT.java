package io.socketfleet.operator.dependent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The managed Redis's own start line, run by a real redis-server with the container's paths
 * replaced by temporary directories: with the StatefulSet's (append-only on the volume) a Redis
 * killed with kill -9 and started again on the same volume still holds the stream entries and
 * session keys it acknowledged; with the pub/sub Deployment's it holds nothing — the test can tell.
 */
class RedisPersistenceIT {

    private static final String PASSWORD = "persistence-test";
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStatefulSetsRedisKeepsStreamsAndSessionsThroughKillMinusNine() throws Exception {
        List<String> after = writeKillRestartRead(RedisStatefulSetDependent.START);
        assertEquals(List.of("2", "session-of-pid-1", "2"), after, "stream length, session, entries read back");
    }

    @Test
    void thePubSubDeploymentsRedisKeepsNothing() throws Exception {
        List<String> after = writeKillRestartRead(RedisDeploymentDependent.START);
        assertEquals(List.of("0", "", "0"), after);
    }

    /** Writes a stream entry and a session key, kill -9, starts again on the same directories, reads them. */
    private List<String> writeKillRestartRead(String start) throws Exception {
        Path data = Files.createTempDirectory("redis-data");
        Path conf = Files.createTempDirectory("redis-conf");
        int port = freePort();
        String line = start.replace("/data", data.toString()).replace("/conf", conf.toString())
                .replace("--port " + RedisConnection.PORT, "--port " + port + " --bind 127.0.0.1");
        assertTrue(line.contains("--port " + port), line);

        Process first = startRedis(line, port);
        cli(port, "XADD", "socket.io", "*", "uid", "node-a", "nsp", "/", "type", "3", "data", "first");
        cli(port, "XADD", "socket.io", "*", "uid", "node-a", "nsp", "/", "type", "3", "data", "second");
        cli(port, "SET", "sio:session:pid-1", "session-of-pid-1", "PX", "600000");
        first.destroyForcibly(); // SIGKILL: no shutdown, no final save
        first.waitFor(10, TimeUnit.SECONDS);

        startRedis(line, port);
        String streamLength = cli(port, "XLEN", "socket.io");
        String session = cli(port, "GET", "sio:session:pid-1");
        String entries = Long.toString(cli(port, "XRANGE", "socket.io", "-", "+").lines().filter(l -> l.startsWith("node-a")).count());
        String keys = cli(port, "DBSIZE");
        System.out.printf("redis restarted after kill -9 with '%s': %s keys, stream length %s%n",
                start.substring(start.indexOf("--port")), keys, streamLength);
        return List.of(streamLength, session, entries);
    }

    private Process startRedis(String line, int port) throws IOException {
        Path log = Files.createTempFile("redis-persistence", ".log");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("REDIS_PASSWORD", PASSWORD);
        Process process = builder.start();
        started.add(process);
        await().atMost(java.time.Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            }
            return "PONG".equals(cli(port, "PING"));
        });
        return process;
    }

    /** redis-cli's raw answer, one value per line. */
    private static String cli(int port, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--raw"));
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", PASSWORD);
        Process cli = builder.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
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
