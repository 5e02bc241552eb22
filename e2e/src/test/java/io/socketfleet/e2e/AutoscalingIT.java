package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.autoscaling in local mode with real clients: official socket.io clients ramp from 0 to 2,000
 * and back through nginx; the fleet follows (500 sessions a node, 1 to 4 nodes), each scale-down
 * drains the emptiest node, and every client that did not leave is connected at each step.
 */
class AutoscalingIT {

    private static final int TARGET = 500;

    @Test
    void replicasFollowTheSessionsUpAndDownAndNoClientIsLeftBehind() throws Exception {
        List<String> autoscaling = List.of("autoscaling:", "  minReplicas: 1", "  maxReplicas: 4",
                "  targetSessionsPerNode: " + TARGET, "  scaleUpStabilizationSeconds: 0", "  scaleDownStabilizationSeconds: 10");
        try (LocalFleetProcess fleet = new LocalFleetProcess("auto", 1, 3, Repo.freePort(), Map.of(), autoscaling);
             NodeProcess clients = new NodeProcess("rebalance-clients.js", Map.of("url", fleet.url(), "count", 0))) {
            clients.next();
            List<String> steps = new ArrayList<>();
            long started = System.nanoTime();
            for (int step = 1; step <= 4; step++) {
                JsonNode report = clients.command("open 500");
                int wanted = step;
                awaitListed(fleet, wanted);
                steps.add(String.format("%d clients -> %d nodes after %d s", report.get("count").asInt(), wanted,
                        (System.nanoTime() - started) / 1_000_000_000));
                awaitAllConnected(clients, step * 500);
            }
            for (int step = 3; step >= 1; step--) {
                clients.command("close 500");
                int wanted = step;
                awaitListed(fleet, wanted);
                awaitAllConnected(clients, step * 500);
                steps.add(String.format("%d clients -> %d nodes after %d s", step * 500, wanted,
                        (System.nanoTime() - started) / 1_000_000_000));
            }
            JsonNode last = clients.command("report");
            System.out.println("autoscaling, 500 sessions a node: " + steps + "; disconnect reasons of the clients that stayed: "
                    + last.get("reasons"));
            assertTrue(fleet.lines().stream().anyMatch(l -> l.contains("autoscaling: ") && l.contains("replicas 4 -> 3")),
                    "the fleet says why it scaled");
        }
    }

    /** Waits until nginx lists exactly {@code nodes} nodes and the plan wants no other count. */
    private static void awaitListed(LocalFleetProcess fleet, int nodes) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String last = fleet.lines().stream().filter(l -> l.contains("autoscaling: ")).reduce((a, b) -> b).orElse("");
            boolean decided = nodes == 1 ? last.isEmpty() || last.endsWith("-> 1") : last.endsWith("-> " + nodes);
            return decided && serverLines(fleet) == nodes;
        });
    }

    private static void awaitAllConnected(NodeProcess clients, int count) {
        JsonNode[] report = new JsonNode[1];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                report[0] = clients.command("report");
                return report[0].get("connected").asInt() == count;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every remaining client is connected: " + report[0], e);
        }
        assertEquals(count, report[0].get("count").asInt());
    }

    private static long serverLines(LocalFleetProcess fleet) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(fleet.nginxConfig()).stream()
                .filter(l -> l.strip().startsWith("server 127.")).count();
    }
}
