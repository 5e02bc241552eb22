package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local supervisor watches everything it started, not only its nodes: Redis and nginx,
 * killed with SIGKILL under a running fleet, come back by themselves, and the fleet works as
 * before within seconds; a reload that fails is reported once and retried with backoff. The
 * steps share one fleet, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalSupervisorIT {

    private static LocalFleetProcess fleet;

    @BeforeAll
    static void start() throws Exception {
        // Its own node port: other tests' fleets on this machine use 127.0.0.2… with port 3000.
        fleet = new LocalFleetProcess("relay", 2, 1, Repo.freePort());
    }

    @AfterAll
    static void stop() throws Exception {
        fleet.close();
    }

    @Test
    @Order(1)
    void aKilledRedisIsStartedAgainBroadcastsCrossNodesAgainAndNoClientIsDropped() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 40, "mode", "websocket"))) {
            assertEquals(2, perNode(held.next()).size(), "clients on both nodes");
            assertEquals(40, held.command("broadcast").get("exactlyOnce").asInt(), "broadcasts cross nodes before");

            int mark = fleet.linesSoFar();
            long killedAt = System.nanoTime();
            child("redis-server").destroyForcibly();
            fleet.awaitLine(mark, l -> l.contains("redis-server died"), Duration.ofSeconds(10));
            fleet.awaitLine(mark, l -> l.contains("redis-server is back"), Duration.ofSeconds(15));

            // Each node resubscribes by itself (its log says so); then one client's chat reaches all 40
            // clients, on both nodes, exactly once.
            for (String node : List.of("relay-node-1", "relay-node-2")) {
                fleet.awaitLine(mark, l -> l.contains("[" + node + "]") && l.contains("reachable again"), Duration.ofSeconds(20));
            }
            long resubscribed = (System.nanoTime() - killedAt) / 1_000_000;
            JsonNode broadcast = held.command("broadcast");
            assertEquals(40, broadcast.get("exactlyOnce").asInt(), "broadcasts cross nodes again: " + broadcast);
            // The demo's presence is asked of the fleet through Redis: once both nodes are subscribed
            // again they answer each other, and every client hears of both nodes anew.
            held.command("forget-presence");
            await().atMost(Duration.ofSeconds(15)).until(() -> held.command("report").at("/presence/2").asInt() == 40);
            System.out.printf("redis-server killed: both nodes resubscribed after %d ms, presence full again after %d ms%n",
                    resubscribed, (System.nanoTime() - killedAt) / 1_000_000);

            JsonNode report = held.command("report");
            assertEquals(40, report.get("connected").asInt(), report.toString());
            assertEquals(0, report.get("disconnected").asInt(), "the Redis restart dropped no client: " + report);
        }
    }

    @Test
    @Order(2)
    void aKilledNginxMasterIsStartedAgainItsOldWorkersStopAndScalingWorksAgain() throws Exception {
        try (NodeProcess held = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 20, "mode", "websocket"))) {
            held.next();
            ProcessHandle master = child("nginx: master");
            List<ProcessHandle> oldWorkers = master.children().toList();
            assertTrue(oldWorkers.size() > 0, "nginx runs workers");

            int mark = fleet.linesSoFar();
            long killedAt = System.nanoTime();
            master.destroyForcibly();
            fleet.awaitLine(mark, l -> l.contains("nginx died"), Duration.ofSeconds(10));
            fleet.awaitLine(mark, l -> l.contains("nginx is back"), Duration.ofSeconds(20));
            for (ProcessHandle worker : oldWorkers) {
                await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isAlive());
            }
            // Clients of the old workers lost their connection with them and come back through the new nginx.
            await().atMost(Duration.ofSeconds(20)).until(() -> held.command("report").get("connected").asInt() == 20);
            System.out.printf("nginx master killed: all 20 clients connected again after %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
            assertEquals(20, held.command("broadcast").get("exactlyOnce").asInt());
        }

        int mark = fleet.linesSoFar();
        long editedAt = System.nanoTime();
        fleet.write("relay", 3, 1);
        fleet.awaitLine(mark, l -> l.contains("ready backends 2 -> 3"), Duration.ofSeconds(60));
        System.out.printf("after the nginx restart, scale 2 -> 3: new node in nginx after %d ms%n", (System.nanoTime() - editedAt) / 1_000_000);
        try (NodeProcess fresh = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 60, "mode", "websocket"))) {
            Map<String, Integer> counts = perNode(fresh.next());
            assertEquals(3, counts.size(), "the new node gets connections through the restarted nginx: " + counts);
        }
    }

    @Test
    @Order(3)
    void aFailingReloadIsReportedOnceInNginxsWordsAndRetriedWithBackoff() throws Exception {
        // Without its pid file `nginx -s reload` cannot find the master (nginx -t leaves an empty one); nginx says so.
        Path pidFile = fleet.nginxConfig().resolveSibling("nginx.pid");
        String pid = Files.readString(pidFile);
        Files.delete(pidFile);
        int mark = fleet.linesSoFar();
        fleet.write("relay", 2, 1);
        String reported = fleet.awaitLine(mark, l -> l.contains("could not reload nginx"), Duration.ofSeconds(20));
        assertTrue(reported.contains("nginx.pid"), "nginx's own message: " + reported);

        Thread.sleep(8_000); // attempts at about 1, 3 and 7 s after the first
        List<String> since = fleet.lines().subList(mark, fleet.linesSoFar());
        assertEquals(1, since.stream().filter(l -> l.contains("nginx.pid")).count(), "reported once: " + since);
        assertEquals(3, serverLines(fleet.nginxConfig()), "nginx keeps the config it runs");

        Files.writeString(pidFile, pid);
        String recovered = fleet.awaitLine(mark, l -> l.contains("ready backends 3 -> 2"), Duration.ofSeconds(40));
        assertTrue(recovered.contains("after") && recovered.contains("failed attempt"), recovered);
        int attempts = Integer.parseInt(recovered.replaceAll(".* after (\\d+) failed attempt.*", "$1"));
        System.out.println("reload failing for ~8 s: " + attempts + " failed attempts, one report: " + reported);
        assertTrue(attempts >= 3 && attempts <= 5, "backed off, not retried every tick: " + attempts);
        assertEquals(2, serverLines(fleet.nginxConfig()));
    }

    @Test
    @Order(4)
    void stoppingLeavesNoProcessBehind() throws Exception {
        List<ProcessHandle> children = new ArrayList<>(fleet.process().descendants().toList());
        assertEquals(0, fleet.stop());
        for (ProcessHandle child : children) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        }
    }

    /**
     * The fleet's child process whose title says so ("redis-server", "nginx: master"). Both
     * programs rewrite their title, which only /proc/PID/cmdline shows as they wrote it.
     */
    private static ProcessHandle child(String title) {
        return fleet.process().children().filter(p -> title(p).contains(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + title + " under the fleet"));
    }

    private static String title(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static Map<String, Integer> perNode(JsonNode report) {
        Map<String, Integer> counts = new TreeMap<>();
        report.get("perNode").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    private static long serverLines(Path config) throws Exception {
        return Files.readAllLines(config).stream().filter(l -> l.strip().startsWith("server 127.0.0.")).count();
    }
}
