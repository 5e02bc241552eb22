package io.socketfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark runner at smoke size, so it cannot rot: every scenario runs and measures something real. */
class BenchSmokeIT {

    @Test
    void everyScenarioProducesFiguresForEveryServer() throws Exception {
        Path out = Repo.path("bench/target/bench-smoke.json");
        StringWriter errors = new StringWriter();
        int exit = new CommandLine(new BenchMain()).setErr(new PrintWriter(errors, true))
                .execute("--smoke", "--out", out.toString());
        // The reason goes into the failure message: CI shows that, not the test's captured output.
        assertEquals(0, exit, errors::toString);

        JsonNode figures = new ObjectMapper().readTree(Files.readString(out)).get("figures");
        Map<String, Double> byKey = new HashMap<>();
        figures.forEach(f -> byKey.put(f.get("scenario").asText() + "|" + f.get("generator").asText() + "|"
                + f.get("metric").asText() + "|" + f.get("subject").asText(), f.get("value").asDouble()));
        Settings smoke = Settings.smoke();
        for (ServerProcess.Kind kind : ServerProcess.Kind.values()) {
            String server = kind.label;
            assertEquals(smoke.idleClients(), byKey.get("idle-connections|java|alive after heartbeats|" + server), server);
            assertTrue(byKey.get("idle-connections|java|heap per connection|" + server) > 0, server);
            for (String generator : new String[] {"java", "node socket.io-client"}) {
                String at = generator + "|";
                assertTrue(byKey.get("broadcast-fanout|" + at + "deliveries/s|" + server) > 0, server + " " + generator);
                assertTrue(byKey.get("broadcast-fanout|" + at + "server CPU per delivery|" + server) > 0, server + " " + generator);
                assertEquals(0.0, byKey.get("broadcast-fanout|" + at + "lost deliveries|" + server), server + " " + generator);
                assertTrue(byKey.get("echo-ack-round-trip|" + at + "round trips/s|" + server) > 0, server + " " + generator);
                assertTrue(byKey.get("echo-ack-round-trip|" + at + "server CPU per round trip|" + server) > 0, server + " " + generator);
                assertTrue(byKey.get("echo-ack-round-trip|" + at + "round trip p99|" + server) > 0, server + " " + generator);
                if (kind.clusters) {
                    assertEquals(0.0, byKey.get("cross-node-broadcast|" + at + "lost deliveries|" + server), server + " " + generator);
                    assertTrue(byKey.get("cross-node-broadcast|" + at + "server CPU per delivery|" + server) > 0, server + " " + generator);
                }
            }
        }
        for (String metric : new String[] {"start to /readyz|socket-node", "start to /readyz, AppCDS archive, no warm-up|socket-node",
                "start to /readyz, no AppCDS, no warm-up|socket-node", "start to /readyz, C1 only|socket-node",
                "warm-up before listening|socket-node", "JVM start to the node's code|socket-node", "start to /readyz|node socket.io"}) {
            assertTrue(byKey.get("cold-start|java|" + metric) > 0, metric);
        }
        assertTrue(Files.readString(Repo.path("bench/target/bench-smoke.md")).contains("| broadcast-fanout | java | server CPU per delivery |"),
                "the README's markdown table is written next to the JSON");
        double maxMean = byKey.get("nginx-balance|-|max/mean|3 nodes, weight 1");
        assertTrue(maxMean >= 1.0 && maxMean < 1.5, "balance through nginx: " + maxMean);
        assertTrue(byKey.get("nginx-balance|-|new conns on added 4th node|3 nodes, weight 1") > 0);
        assertTrue(byKey.get("operator-reaction|-|EndpointSlice -> ConfigMap median|operator") > 0);
        String timeout = "worker_shutdown_timeout " + smoke.reloadShutdownTimeoutSeconds() + " s";
        assertTrue(byKey.get("nginx-reloads|-|nginx RSS after reloads|" + timeout) > 0);
        int lastGeneration = smoke.reloadWebsockets() / smoke.reloads();
        assertEquals(smoke.reloadWebsockets() - lastGeneration, byKey.get("nginx-reloads|-|websockets closed by old workers|" + timeout),
                "the old workers closed theirs at the timeout; the current ones keep theirs");
        assertEquals(0.0, byKey.get("nginx-reloads|-|websockets closed by old workers|no worker_shutdown_timeout"),
                "without the timeout old workers keep every websocket");
        // Recovery after a kill: socket-node's clients come back with everything; Node's adapters cannot recover them.
        assertEquals(100.0, byKey.get("recovery-after-kill|-|sessions recovered|socket-node"));
        assertEquals(0.0, byKey.get("recovery-after-kill|-|messages lost|socket-node"));
        assertEquals(0.0, byKey.get("recovery-after-kill|-|sessions recovered|node socket.io + redis-adapter"));
        assertEquals(0.0, byKey.get("recovery-after-kill|-|sessions recovered|node socket.io + redis-streams-adapter"));
        assertEquals(0.0, byKey.get("rebalancing-streams|-|messages lost|socket-node"), "rebalancing with recovery loses nothing");
        // The same scale-up against Node socket.io and each Redis adapter: it has no rebalancing, so its 4th server gets none of them.
        for (NodeSocketIoFleet.Adapter adapter : NodeSocketIoFleet.Adapter.values()) {
            assertTrue(byKey.get("rebalancing-streams|-|max/mean at the end|" + adapter.label) >= 1.0, adapter.label);
            assertEquals(0.0, byKey.get("rebalancing-streams|-|clients on the added node|" + adapter.label), adapter.label);
            assertEquals(0.0, byKey.get("rebalancing-streams|-|messages lost|" + adapter.label), adapter.label);
        }
    }
}
