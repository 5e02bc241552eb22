package io.socketfleet.node;

import io.socketfleet.node.http.StaticContent;
import io.socketfleet.node.testing.Floods;
import io.socketfleet.node.testing.RawHttp;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floods of issue 10 against socket-node as a process with a fixed, pre-touched 256 MiB heap, its
 * resident memory read from /proc while a well-behaved client keeps being served.
 */
class HostileClientsMemoryIT {

    /**
     * RSS growth a flood may cause in five seconds. Measured on the unfixed node: the pipelined flood
     * left it answering nothing (the issue: RSS 92 -> 467 MiB), the ping flood grew it by 52 MiB;
     * with backpressure 1 and 17 MiB.
     */
    private static final long BOUND = 40L * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process node;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = RedisServer.freePort();
        node = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xms256m", "-Xmx256m",
                // The whole heap touched up front, so RSS moves only with what the heap cannot hold: direct buffers.
                "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--node-name", "hostile")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get("/readyz").statusCode() == 200);
        for (int i = 0; i < 20; i++) {
            wellBehavedClientIsServed(); // warm up, so the baseline includes what serving anyone costs
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        node.destroyForcibly();
        node.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void pipelinedStaticFloodFromANonReader() throws Exception {
        try (RawHttp attacker = RawHttp.openNotReading(port)) {
            whileUnderAttack("10,000 pipelined GET " + StaticContent.CLIENT_BUNDLE + " from a non-reader",
                    () -> Floods.pipelined(attacker, RawHttp.get(StaticContent.CLIENT_BUNDLE), 10_000));
        }
    }

    @Test
    void pingFloodFromANonReader() throws Exception {
        try (RawHttp attacker = RawHttp.openNotReading(port)) {
            whileUnderAttack("5,000,000 websocket pings from a non-reader", () -> Floods.pings(attacker, 5_000_000));
        }
    }

    /** For five seconds: the node's RSS sampled, a well-behaved client served; the figures printed whatever happens. */
    private void whileUnderAttack(String attack, Callable<?> startAttack) throws Exception {
        long before = rss();
        long peak = before;
        startAttack.call();
        try {
            for (int i = 0; i < 17; i++) {
                Thread.sleep(300);
                peak = Math.max(peak, rss());
                wellBehavedClientIsServed();
            }
        } finally {
            System.out.printf("%s: node RSS %d MiB -> peak %d MiB%n", attack, before >> 20, peak >> 20);
        }
        assertTrue(peak - before < BOUND, attack + ": RSS grew by " + ((peak - before) >> 20) + " MiB");
    }

    private void wellBehavedClientIsServed() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        assertTrue(get("/socket.io/?EIO=4&transport=polling").body().startsWith("0{\"sid\""));
        try (RawWebSocket client = RawWebSocket.open(port)) {
            assertTrue(client.connectMain().startsWith("40{\"sid\""));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The node's resident set, from /proc. */
    private long rss() throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"));
        String line = status.stream().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
