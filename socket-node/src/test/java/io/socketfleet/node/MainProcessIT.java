package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** socket-node as a process: its command line and SIGTERM draining. */
class MainProcessIT {

    private static ProcessBuilder socketNode(String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PORT");
        return builder;
    }

    @Test
    void badFlagValueIsAOneLineErrorAndExitCode2() throws Exception {
        Process process = socketNode("--port", "not-a-number").start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, process.exitValue());
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("socket-node: ") && stderr.contains("--port"), stderr);

        Process badRedis = socketNode("--redis-url", "http://nope").start();
        assertTrue(badRedis.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, badRedis.exitValue());
    }

    @Test
    void helpListsEveryFlagWithItsEnvironmentVariableAndDefault() throws Exception {
        Process process = socketNode("--help").start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        for (NodeSetting setting : NodeSetting.values()) {
            // picocli wraps long lines, also after a colon: compare without white space.
            String listed = NodeCommandLine.helpText(setting);
            assertTrue(help.replaceAll("\\s", "").contains(listed.replaceAll("\\s", "")) && help.contains(setting.flag().substring(2)),
                    "--help lists " + listed + "\n" + help);
        }
    }

    @Test
    void sigtermDrainsClientsWithTransportCloseAndExitsZero() throws Exception {
        int port = RedisServer.freePort();
        Process node = socketNode("--port", Integer.toString(port), "--bind", "127.0.0.1", "--node-name", "drainer",
                "--drain-seconds", "2").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient http = HttpClient.newHttpClient();
        URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        NodeScripts.Running clients = NodeScripts.startScenario("hold", Map.of("url", "http://127.0.0.1:" + port,
                "count", 20, "mode", "websocket", "waitMs", 5000));
        clients.awaitReady();
        long started = System.nanoTime();
        node.destroy(); // SIGTERM

        await().atMost(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
        assertTrue(node.waitFor(20, TimeUnit.SECONDS), "the node exits after draining");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, node.exitValue());
        assertTrue(tookMillis >= 1000, "sessions were closed spread over the drain period, not at once: " + tookMillis + " ms");

        JsonNode result = clients.result();
        assertEquals(20, result.get("reasons").size(), result.toString());
        for (JsonNode reason : result.get("reasons")) {
            assertEquals("transport close", reason.asText(), "clients see a lost transport and reconnect by themselves");
        }
    }

}
