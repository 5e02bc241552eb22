package io.socketfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socketfleet.operator.local.LocalRedis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connection state recovery when a server is killed: two servers on one Redis, official clients
 * (default options) in 10 rooms on the first, a publisher on the second sending numbered room
 * messages; once every client has received some (so each has an offset to recover from), the first
 * is killed with SIGKILL and its clients reconnect to the second (they are pointed there just before
 * the kill, standing in for the load balancer taking the dead server out). Compared: socket-node with the
 * streams adapter, and Node socket.io 4.8 with connection state recovery on and either Redis
 * adapter — which cannot recover here: the pub/sub adapter keeps no sessions, and the streams
 * adapter writes a session only when its socket closes, which a killed server never does.
 */
final class RecoveryAfterKill implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What runs the two servers. */
    private enum Subject {
        SOCKET_NODE_STREAMS("socket-node"), NODE_PUBSUB("node socket.io + redis-adapter"),
        NODE_STREAMS("node socket.io + redis-streams-adapter");

        final String label;

        Subject(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "recovery-after-kill";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        int clients = Math.min(300, settings.clusterClients());
        for (Subject subject : Subject.values()) {
            List<Process> servers = new ArrayList<>();
            try (LocalRedis redis = new LocalRedis(Files.createTempDirectory("bench-redis"), new PrintStream(OutputStream.nullOutputStream()))) {
                int victimPort = Repo.freePort();
                int survivorPort = Repo.freePort();
                servers.add(start(subject, victimPort, redis));
                servers.add(start(subject, survivorPort, redis));
                JsonNode tally = killOne(servers.get(0), "http://127.0.0.1:" + victimPort, "http://127.0.0.1:" + survivorPort, clients);
                System.out.printf("%s: %s%n", subject.label, tally);
                record(results, subject.label, tally);
            } finally {
                for (Process server : servers) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void record(Results results, String subject, JsonNode tally) {
        int reconnected = tally.get("reconnected").asInt();
        double recovered = reconnected == 0 ? 0 : 100.0 * tally.get("recoveredEveryTime").asInt() / reconnected;
        results.add(name(), "sessions recovered", "%", subject, recovered, true);
        results.add(name(), "messages lost", "msg", subject, tally.get("lost").asInt(), false);
        results.add(name(), "messages duplicated", "msg", subject, tally.get("duplicated").asInt(), false);
        results.add(name(), "sent to rooms while away", "msg", subject, tally.get("sentWhileAway").asInt(), true);
        results.add(name(), "time to reconnect p50", "ms", subject, tally.path("recoverMsMedian").asDouble(), false);
        results.add(name(), "time to reconnect max", "ms", subject, tally.path("recoverMsMax").asDouble(), false);
        double spreadSeconds = Math.max(0.001, (tally.path("recoverMsMax").asDouble() - tally.path("recoverMsMin").asDouble()) / 1000);
        results.add(name(), "reconnects/s", "conn/s", subject, reconnected / spreadSeconds, true);
    }

    private static Process start(Subject subject, int port, LocalRedis redis) throws IOException {
        List<String> command = switch (subject) {
            case SOCKET_NODE_STREAMS -> List.of(ServerProcess.java(), "-Xmx512m", "-jar",
                    Repo.path("socket-node/target/socket-node.jar").toString(), "--bind", "127.0.0.1",
                    "--port", Integer.toString(port), "--node-name", "node-" + port, "--redis-url", redis.url(),
                    // Every client starts on the node to be killed: it must not hand them over to the other first.
                    "--adapter", "streams", "--rebalance-sessions-per-second", "0");
            case NODE_PUBSUB, NODE_STREAMS -> List.of("node", Repo.path("bench/js/recovery-server.js").toString(), "127.0.0.1",
                    Integer.toString(port), redis.url().replace("redis://", "redis://:" + redis.password() + "@"),
                    subject == Subject.NODE_STREAMS ? "streams" : "pubsub");
        };
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REDIS_PASSWORD", redis.password());
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // The server's log goes to bench/target, for whoever reads a failed run.
        Path log = Repo.path("bench/target/recovery-after-kill-" + subject.name().toLowerCase(java.util.Locale.ROOT) + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        PrintWriter kept = new PrintWriter(Files.newBufferedWriter(log), true);
        for (String line = out.readLine(); ; line = out.readLine()) {
            if (line == null) {
                kept.close();
                throw new IllegalStateException(subject.label + " exited before listening; see " + log);
            }
            kept.println(line);
            if (line.contains("listening")) {
                break;
            }
        }
        Thread drain = new Thread(() -> {
            try {
                out.lines().forEach(kept::println);
            } catch (UncheckedIOException endedWithTheServer) {
                // The server was killed or stopped: its log ends here.
            }
            kept.close();
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /**
     * The clients on {@code victim}, the publisher on the survivor; once every client has received
     * messages (so each has an offset to recover from), SIGKILL, everyone back, the tally.
     */
    private static JsonNode killOne(Process victim, String victimUrl, String survivorUrl, int count) throws Exception {
        Process js = new ProcessBuilder("node", Repo.path("e2e/src/test/js/recovery-clients.js").toString(),
                JSON.writeValueAsString(Map.of("url", victimUrl, "count", count, "rooms", 10, "intervalMs", 50)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(js.getOutputStream(), true, StandardCharsets.UTF_8)) {
            JsonNode ready = JSON.readTree(out.readLine());
            if (ready.path("connected").asInt() != count) {
                throw new IllegalStateException("clients did not all connect: " + ready);
            }
            // A connection that broke while the 300 were being set up is the cold server's doing, not the kill's.
            System.out.println("  set up: " + ready.path("connected") + " connected, "
                    + ready.path("brokenWhileSettingUp") + " had a connection break while setting up " + ready.path("traces"));
            command(in, out, "start " + survivorUrl);
            // Warm: the stream flows (100 acknowledged rounds to 10 rooms) before the kill, so a cold JIT is not
            // measured; and every client has received messages of it, so each has an offset to recover from.
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode before = command(in, out, "report");
            while ((before.get("sent").asInt() < 1_000 || before.get("withMessage").asInt() < count) && System.nanoTime() < warm) {
                Thread.sleep(200);
                before = command(in, out, "report");
            }
            String victimName = "node-" + URI.create(victimUrl).getPort();
            if (before.get("withMessage").asInt() < count || before.path("perNode").path(victimName).asInt() != count) {
                throw new IllegalStateException("before the kill, not every client was on " + victimName
                        + " with messages received: " + before);
            }
            System.out.println("  before the kill: " + before);
            // The load balancer takes the dead server out: every reconnect goes to the survivor.
            command(in, out, "route " + survivorUrl);
            victim.destroyForcibly(); // SIGKILL
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (command(in, out, "report").get("connected").asInt() < count && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(2000); // live traffic after the reconnects
            JsonNode tally = command(in, out, "stop");
            in.println("quit");
            return tally;
        } finally {
            js.destroy();
            js.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode command(PrintWriter in, BufferedReader out, String command) throws IOException {
        in.println(command);
        return JSON.readTree(out.readLine());
    }
}
