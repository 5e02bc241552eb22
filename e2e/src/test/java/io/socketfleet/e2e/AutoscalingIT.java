package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.autoscaling in local mode with real clients, losing nothing: official socket.io clients with
 * their default options ramp from 0 to 2,000 and back through nginx, each in one of 10 rooms, while a
 * publisher sends a steady stream of numbered room messages the whole time. The fleet runs the streams
 * adapter and follows the sessions (about 500 a node, 1 to 4 nodes); each scale-up rebalances, each
 * scale-down drains the emptiest node. At each step every client that did not leave is connected, and
 * at the end every one has every message of its room sent after it joined, once and in order, and
 * every reconnect (the drained nodes' clients, those the rebalancer moved) came back recovered with
 * its socket id. Meant to hold on a loaded machine: waits are generous, nothing is timed.
 */
class AutoscalingIT {

    /** Clients come and go 500 at a time; the publisher is a session too, so a node's target leaves room for it. */
    private static final int TARGET = 520;

    @Test
    void replicasFollowTheSessionsUpAndDownAndNoMessageIsLost() throws Exception {
        List<String> spec = List.of("redis:", "  adapter: streams",
                "autoscaling:", "  minReplicas: 1", "  maxReplicas: 4", "  targetSessionsPerNode: " + TARGET,
                "  scaleUpStabilizationSeconds: 0", "  scaleDownStabilizationSeconds: 10");
        try (LocalFleetProcess fleet = new LocalFleetProcess("auto", 1, 3, Repo.freePort(), Map.of(), spec);
             NodeProcess clients = new NodeProcess("recovery-clients.js",
                     Map.of("url", fleet.url(), "count", 0, "rooms", 10, "intervalMs", 200))) {
            clients.next();
            clients.command("start"); // through the fleet: the publisher's node may be drained too
            List<String> steps = new ArrayList<>();
            long started = System.nanoTime();
            for (int step = 1; step <= 4; step++) {
                clients.command("open 500");
                awaitListed(fleet, step);
                steps.add(String.format("%d clients -> %d nodes after %d s", step * 500, step,
                        (System.nanoTime() - started) / 1_000_000_000));
                awaitAllConnected(clients, step * 500);
            }
            int lastDrained = 0;
            for (int step = 3; step >= 1; step--) {
                Map<String, Integer> before = perNode(clients.command("close 500"));
                awaitListed(fleet, step);
                Map<String, Integer> after = perNode(awaitAllConnected(clients, step * 500));
                // The clients the drained node held once the last 500 had left: each had to reconnect elsewhere.
                Set<String> gone = new HashSet<>(before.keySet());
                gone.removeAll(after.keySet());
                assertEquals(1, gone.size(), "one node drained: before " + before + ", after " + after);
                lastDrained = before.get(gone.iterator().next());
                steps.add(String.format("%d clients -> %d nodes (drained %s holding %d) after %d s", step * 500, step, gone, lastDrained,
                        (System.nanoTime() - started) / 1_000_000_000));
            }
            // Keep publishing a little after everyone is back, so live delivery after recovery is checked too.
            int now = clients.command("report").get("received").asInt();
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.command("report").get("received").asInt() > now + 1000);
            JsonNode tally = clients.command("stop");
            System.out.printf("autoscaling, " + TARGET + " sessions a node, streams adapter: %s; "
                            + "%d reconnected in all, %d recovered with their id, %d of %d messages delivered "
                            + "(%d sent to their rooms while they were away), lost %d, duplicated %d, out of order %d; "
                            + "reconnect median %s ms, max %s ms%n",
                    steps, tally.get("reconnected").asInt(), tally.get("sameId").asInt(),
                    tally.get("delivered").asInt(), tally.get("deliveriesExpected").asInt(), tally.get("sentWhileAway").asInt(),
                    tally.get("lost").asInt(), tally.get("duplicated").asInt(), tally.get("outOfOrder").asInt(),
                    tally.get("recoverMsMedian"), tally.get("recoverMsMax"));
            System.out.println("tally: " + tally);
            assertEquals(0, tally.get("lost").asInt(), "messages lost: " + tally);
            assertEquals(0, tally.get("duplicated").asInt(), "messages duplicated: " + tally);
            assertEquals(0, tally.get("outOfOrder").asInt(), "messages out of order: " + tally);
            assertEquals(tally.get("deliveriesExpected").asInt(), tally.get("delivered").asInt(), "each once: " + tally);
            int reconnected = tally.get("reconnected").asInt();
            // The last drained node's clients all stayed to the end (earlier drains' clients partly left later).
            assertTrue(lastDrained > 0 && reconnected >= lastDrained,
                    "the " + lastDrained + " clients of the last drained node reconnected: " + tally);
            assertEquals(reconnected, tally.get("recoveredEveryTime").asInt(), "every reconnect recovered: " + tally);
            assertEquals(reconnected, tally.get("sameId").asInt(), "with the same socket id: " + tally);
            assertEquals(0, tally.get("freshSessions").asInt(), tally.toString());
            assertTrue(tally.get("sentWhileAway").asInt() > 0, "the room streams went on while clients were away: " + tally);
            assertTrue(fleet.lines().stream().anyMatch(l -> l.contains("autoscaling: ") && l.contains("replicas 4 -> 3")),
                    "the fleet says why it scaled");
        }
    }

    private static Map<String, Integer> perNode(JsonNode report) {
        Map<String, Integer> counts = new TreeMap<>();
        report.get("perNode").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    /** Waits until nginx lists exactly {@code nodes} nodes and the plan wants no other count. */
    private static void awaitListed(LocalFleetProcess fleet, int nodes) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String last = fleet.lines().stream().filter(l -> l.contains("autoscaling: ")).reduce((a, b) -> b).orElse("");
            boolean decided = nodes == 1 ? last.isEmpty() || last.endsWith("-> 1") : last.endsWith("-> " + nodes);
            return decided && serverLines(fleet) == nodes;
        });
    }

    /** Waits until all {@code count} remaining clients are connected, and returns the report that says so. */
    private static JsonNode awaitAllConnected(NodeProcess clients, int count) {
        JsonNode[] report = new JsonNode[1];
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                report[0] = clients.command("report");
                return report[0].get("connected").asInt() == count;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every remaining client is connected: " + report[0], e);
        }
        assertEquals(count, report[0].get("count").asInt());
        return report[0];
    }

    private static long serverLines(LocalFleetProcess fleet) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(fleet.nginxConfig()).stream()
                .filter(l -> l.strip().startsWith("server 127.")).count();
    }
}
