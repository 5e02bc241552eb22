package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rebalancing after a scale-up, end to end and losing nothing: a local fleet (real nginx, Redis, node
 * processes) on {@code spec.redis.adapter: streams} holds 3,000 official socket.io clients (websocket
 * transport, otherwise default options) on 3 nodes, each client in one of 10 rooms, while a
 * publisher sends a steady stream of numbered room messages through the fleet; the fleet grows to 4.
 * The busy nodes shed their excess at the configured rate (spec.node.rebalanceSessionsPerSecond,
 * here 40 a node) by closing transports and turn new handshakes away while above their share, so the
 * clients reconnect through nginx to the new node. Within a minute max/mean is at most 1.10, no node
 * ever shed faster than its rate, every shed client came back recovered with its socket id, and every
 * client got every message of its room once and in order. Meant to hold on a loaded machine: waits
 * are generous, nothing is timed but the balance.
 */
class RebalancingIT {

    private static final int CLIENTS = 3000;
    /** spec.node.rebalanceSessionsPerSecond. */
    private static final int RATE = 40;

    @Test
    void aFourthNodeTakesItsShareWithinAMinuteAtTheShedRateAndNoMessageIsLost() throws Exception {
        int nodePort = Repo.freePort();
        try (LocalFleetProcess fleet = new LocalFleetProcess("rebal", 3, 5, nodePort, Map.of("rebalanceSessionsPerSecond", RATE),
                List.of("redis:", "  adapter: streams"));
             ShedCounters shed = new ShedCounters(nodePort, 4);
             NodeProcess clients = new NodeProcess("recovery-clients.js", Map.of("url", fleet.url(), "count", CLIENTS,
                     "rooms", 10, "intervalMs", 1000, "transports", List.of("websocket")))) {
            clients.next();
            // Nodes that ran ahead of their share while the clients connected may still be handing a few on.
            System.out.println("3,000 clients on 3 nodes: " + perNode(awaitAllConnected(clients)));
            clients.command("start");
            await().atMost(Duration.ofSeconds(60)).until(() -> clients.command("report").get("sent").asInt() >= 30);

            int mark = fleet.linesSoFar();
            fleet.write("rebal", 4, 5);
            fleet.awaitLine(mark, l -> l.contains("ready backends 3 -> 4"), Duration.ofSeconds(90));
            long listed = System.nanoTime();

            JsonNode[] last = new JsonNode[1];
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    last[0] = clients.command("report");
                    Map<String, Integer> counts = perNode(last[0]);
                    return counts.size() == 4 && last[0].get("connected").asInt() == CLIENTS && maxOverMean(counts) <= 1.10;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not balanced within 60 s of the 4th node entering nginx: " + last[0], e);
            }
            long balancedMillis = (System.nanoTime() - listed) / 1_000_000;
            Map<String, Integer> balanced = perNode(last[0]);

            // Let the shedding settle (a client shed last is back within seconds) while the stream goes on.
            await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60)).until(() -> true);
            Map<String, Integer> after = perNode(awaitAllConnected(clients));
            JsonNode tally = clients.command("stop");
            System.out.printf("rebalancing 3,000 clients from 3 to 4 nodes, streams adapter: max/mean %.3f after %d ms %s, "
                            + "all connected again: %s; %d clients shed and reconnected, %d recovered with their id, "
                            + "%d of %d messages delivered (%d sent to their rooms while they were away), lost %d, "
                            + "duplicated %d, out of order %d; reconnect median %s ms, max %s ms; disconnect reasons %s%n",
                    maxOverMean(balanced), balancedMillis, balanced, after, tally.get("reconnected").asInt(),
                    tally.get("sameId").asInt(), tally.get("delivered").asInt(), tally.get("deliveriesExpected").asInt(),
                    tally.get("sentWhileAway").asInt(), tally.get("lost").asInt(), tally.get("duplicated").asInt(),
                    tally.get("outOfOrder").asInt(), tally.get("recoverMsMedian"), tally.get("recoverMsMax"), tally.get("reasons"));
            System.out.println("sessions shed per node, fastest stretch between two readings: " + shed.fastest());

            assertTrue(maxOverMean(after) <= 1.10, "still balanced: " + after);
            shed.assertNeverFaster(RATE);
            assertEquals(0, tally.get("lost").asInt(), "messages lost: " + tally);
            assertEquals(0, tally.get("duplicated").asInt(), "messages duplicated: " + tally);
            assertEquals(0, tally.get("outOfOrder").asInt(), "messages out of order: " + tally);
            assertEquals(tally.get("deliveriesExpected").asInt(), tally.get("delivered").asInt(), "each once: " + tally);
            int reconnected = tally.get("reconnected").asInt();
            String newNode = "rebal-node-4";
            // Every client on the new node came there by a reconnect (the publisher is not one of the clients).
            assertTrue(reconnected >= after.getOrDefault(newNode, 0) && after.getOrDefault(newNode, 0) > 0,
                    "the new node's clients were shed elsewhere and reconnected: " + after + ", " + tally);
            assertEquals(reconnected, tally.get("recoveredEveryTime").asInt(), "every shed client recovered: " + tally);
            assertEquals(reconnected, tally.get("sameId").asInt(), "with its socket id: " + tally);
            assertEquals(0, tally.get("freshSessions").asInt(), tally.toString());
            assertTrue(tally.get("sentWhileAway").asInt() > 0, "the room streams went on while clients were away: " + tally);
            int disconnects = 0;
            for (JsonNode count : tally.get("reasons")) {
                disconnects += count.asInt();
            }
            assertEquals(disconnects, tally.at("/reasons/transport close").asInt(0),
                    "clients saw their transport close (never a Socket.IO DISCONNECT): " + tally.get("reasons"));
        }
    }

    /** Waits until every client is connected, and returns the report that says so. */
    private static JsonNode awaitAllConnected(NodeProcess clients) {
        JsonNode[] report = new JsonNode[1];
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                report[0] = clients.command("report");
                return report[0].get("connected").asInt() == CLIENTS;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not every client is connected: " + report[0], e);
        }
        return report[0];
    }

    /** Reads every node's socketfleet_sessions_rebalanced_total about once a second while the test runs. */
    private static final class ShedCounters implements AutoCloseable {
        /** One reading: when the request went out, when the answer came, and the count. */
        private record Reading(long sentNanos, long answeredNanos, long count) {
        }

        private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        private final Map<Integer, java.util.List<Reading>> readings = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final int port;

        ShedCounters(int port, int nodes) {
            this.port = port;
            timer.scheduleWithFixedDelay(() -> {
                for (int slot = 0; slot < nodes; slot++) {
                    read(slot);
                }
            }, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private void read(int slot) {
            long sent = System.nanoTime();
            try {
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0." + (slot + 2) + ":" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(2)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                long count = metrics.lines().filter(l -> l.startsWith("socketfleet_sessions_rebalanced_total "))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
                readings.computeIfAbsent(slot, s -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(new Reading(sent, System.nanoTime(), count));
            } catch (java.io.IOException e) {
                // not started yet, or gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Between any two readings of a node, it shed at most what the pace allows (counted over the
         * longest the time between them can be): one close per slot of 1/RATE s at a random moment of
         * its slot, so a window of T seconds meets at most ceil(T × RATE) + 1 slots.
         */
        void assertNeverFaster(int rate) {
            readings.forEach((slot, list) -> {
                for (int i = 0; i < list.size(); i++) {
                    for (int j = i + 1; j < list.size(); j++) {
                        double seconds = (list.get(j).answeredNanos() - list.get(i).sentNanos()) / 1e9;
                        long shed = list.get(j).count() - list.get(i).count();
                        assertTrue(shed <= Math.ceil(rate * seconds) + 1, "node " + (slot + 1) + " shed " + shed + " in at most " + seconds + " s");
                    }
                }
            });
        }

        /** Per node, the most it shed between two consecutive readings, as a rate. */
        String fastest() {
            Map<String, String> fastest = new TreeMap<>();
            readings.forEach((slot, list) -> {
                double best = 0;
                for (int i = 1; i < list.size(); i++) {
                    double seconds = (list.get(i).answeredNanos() - list.get(i - 1).sentNanos()) / 1e9;
                    best = Math.max(best, (list.get(i).count() - list.get(i - 1).count()) / seconds);
                }
                fastest.put("node-" + (slot + 1), String.format("%.1f/s (total %d)", best, list.get(list.size() - 1).count()));
            });
            return fastest.toString();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private static Map<String, Integer> perNode(JsonNode report) {
        Map<String, Integer> counts = new TreeMap<>();
        report.get("perNode").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    private static double maxOverMean(Map<String, Integer> counts) {
        double mean = counts.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / mean;
    }
}
