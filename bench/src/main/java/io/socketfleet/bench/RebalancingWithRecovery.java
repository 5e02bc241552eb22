package io.socketfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rebalancing with {@code spec.redis.adapter: streams}, counting messages: the official client
 * (websocket only, as {@link Rebalancing}'s clients; 3,000 clients long-polling first overran the
 * one Node process holding them on the shared machine) in 10 rooms on a local fleet of 3 nodes that sheds at
 * {@code rebalanceSessionsPerSecond: 40}, a publisher sending a numbered message to each room every
 * second through the fleet; the fleet grows to 4. Figures: time from the 4th node entering nginx
 * until max/mean over the 4 nodes is at most 1.10, the reconnects, and what the shed clients got:
 * sessions recovered, messages lost and duplicated (a message counts once the server acknowledged
 * it). The same steps as {@link Rebalancing}, with clients that recover instead of the load
 * generator's, which has no connection state recovery. The same clients, publisher and step then
 * run against Node socket.io 4.8 with connection state recovery and each of its Redis adapters
 * ({@link NodeSocketIoFleet}: 3 servers behind nginx rendered as for the fleet, a 4th added to its
 * upstream), which has no rebalancing: the figures show where its clients stay.
 */
final class RebalancingWithRecovery implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 40;
    private static final double BALANCED = 1.10;

    @Override
    public String name() {
        return "rebalancing-streams";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        try (BenchFleet fleet = new BenchFleet(3, nodes -> "  replicas: " + nodes + "\n  node:\n    drainSeconds: 1\n"
                + "    rebalanceSessionsPerSecond: " + RATE + "\n  redis:\n    adapter: streams\n")) {
            scaleUp(settings, results, "socket-node", fleet);
        }
        for (NodeSocketIoFleet.Adapter adapter : NodeSocketIoFleet.Adapter.values()) {
            try (NodeSocketIoFleet fleet = new NodeSocketIoFleet(adapter, 3)) {
                scaleUp(settings, results, adapter.label, fleet);
            }
        }
    }

    /** The clients and the publisher on 3 nodes, a 4th one, and what the clients went through. */
    private void scaleUp(Settings settings, Results results, String subject, ScalableFleet fleet) throws Exception {
        int count = settings.balanceClients();
        Process js = new ProcessBuilder("node", Repo.path("e2e/src/test/js/recovery-clients.js").toString(),
                JSON.writeValueAsString(Map.of("url", fleet.url(), "count", count, "rooms", 10, "intervalMs", 1000,
                        "transports", List.of("websocket"))))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(js.getOutputStream(), true, StandardCharsets.UTF_8)) {
            JSON.readTree(out.readLine());
            // A node that ran ahead of its share while the clients connected may have shed a few: they come back.
            JsonNode ready = awaitAllConnected(in, out, count, TimeUnit.SECONDS.toNanos(60));
            if (ready.path("connected").asInt() != count) {
                throw new IllegalStateException(subject + ": clients did not all connect: " + ready);
            }
            System.out.println("  " + subject + ", 3 nodes: " + ready.get("perNode"));
            command(in, out, "start");
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (command(in, out, "report").get("sent").asInt() < 50 && System.nanoTime() < warm) {
                Thread.sleep(200);
            }
            fleet.scale(4);
            long listed = System.nanoTime();
            Duration limit = settings.measure().multipliedBy(6);
            long deadline = listed + limit.toNanos();
            double ratio = maxOverMean(command(in, out, "report"));
            while ((ratio > BALANCED || ratio == 0) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                ratio = maxOverMean(command(in, out, "report"));
            }
            double seconds = (System.nanoTime() - listed) / 1e9;
            // What is still being shed settles, and every client is back, before the count.
            Thread.sleep(5_000);
            JsonNode report = awaitAllConnected(in, out, count, TimeUnit.SECONDS.toNanos(60));
            JsonNode tally = command(in, out, "stop");
            in.println("quit");
            int reconnected = tally.get("reconnected").asInt();
            String balanced = ratio <= BALANCED ? String.format("max/mean <= %.2f after %.1f s", BALANCED, seconds)
                    : String.format("max/mean not <= %.2f within %d s (%.3f)", BALANCED, limit.toSeconds(), ratio);
            System.out.printf("  %s, 4 nodes: %s; at the end %s (max/mean %.3f); %d clients shed and reconnected, %d recovered "
                            + "every time, %d fresh sessions; %d of %d deliveries, lost %d, duplicated %d, out of order %d "
                            + "(%d sent to their rooms while they were away)%n",
                    subject, balanced, report.get("perNode"), maxOverMean(report), reconnected, tally.get("recoveredEveryTime").asInt(),
                    tally.get("freshSessions").asInt(), tally.get("delivered").asInt(), tally.get("deliveriesExpected").asInt(),
                    tally.get("lost").asInt(), tally.get("duplicated").asInt(), tally.get("outOfOrder").asInt(),
                    tally.get("sentWhileAway").asInt());
            if (ratio <= BALANCED) {
                results.add(name(), "time to max/mean <= 1.10", "s", subject, seconds, false);
            }
            results.add(name(), "max/mean at the end", "", subject, maxOverMean(report), false);
            results.add(name(), "clients on the added node", "conn", subject, newest(report, ready), true);
            results.add(name(), "clients shed and reconnected", "conn", subject, reconnected, false);
            if (reconnected > 0) { // a share of nothing would read as "all recovered" for servers that moved no one
                results.add(name(), "sessions recovered", "%", subject, 100.0 * tally.get("recoveredEveryTime").asInt() / reconnected, true);
            }
            results.add(name(), "messages lost", "msg", subject, tally.get("lost").asInt(), false);
            results.add(name(), "messages duplicated", "msg", subject, tally.get("duplicated").asInt(), false);
            results.add(name(), "messages out of order", "msg", subject, tally.get("outOfOrder").asInt(), false);
            results.add(name(), "sent to rooms while away", "msg", subject, tally.get("sentWhileAway").asInt(), true);
        } finally {
            js.destroy();
            js.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The clients at the end on the node that was not there before the scale-up. */
    private static int newest(JsonNode report, JsonNode before) {
        int clients = 0;
        for (var node = report.get("perNode").fields(); node.hasNext(); ) {
            var entry = node.next();
            if (!before.get("perNode").has(entry.getKey())) {
                clients += entry.getValue().asInt();
            }
        }
        return clients;
    }

    /** max/mean of the clients per node over 4 nodes, a node without clients counting as 0. */
    private static double maxOverMean(JsonNode report) {
        long total = 0;
        long max = 0;
        for (JsonNode n : report.get("perNode")) {
            total += n.asLong();
            max = Math.max(max, n.asLong());
        }
        return total == 0 ? 0 : max / (total / 4.0);
    }

    /** Reports until every client is connected, or {@code nanos} have passed; the last report. */
    private static JsonNode awaitAllConnected(PrintWriter in, BufferedReader out, int count, long nanos)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + nanos;
        JsonNode report = command(in, out, "report");
        while (report.get("connected").asInt() < count && System.nanoTime() < deadline) {
            Thread.sleep(500);
            report = command(in, out, "report");
        }
        return report;
    }

    private static JsonNode command(PrintWriter in, BufferedReader out, String command) throws IOException {
        in.println(command);
        return JSON.readTree(out.readLine());
    }
}
