package io.socketfleet.operator.dependent;

import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop the nginx pods run, run here with the real nginx: a changed ConfigMap file is
 * reloaded in place, an invalid one is refused while the old config keeps serving, and
 * SIGTERM stops nginx gracefully.
 */
class NginxReloadLoopIT {

    @TempDir
    Path dir;

    @Test
    void reloadsValidChangesRefusesInvalidOnesAndStopsOnSigterm() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path configDir = Files.createDirectories(dir.resolve("config"));
        var runtime = Nginx.runtimeIn(dir, "127.0.0.1:" + port);
        String first = NginxConfig.render(Fleets.fleet("chat", "default", 1), List.of(new Backend("a", "10.0.0.1", 3000)), runtime);
        String second = NginxConfig.render(Fleets.fleet("chat", "default", 2),
                List.of(new Backend("a", "10.0.0.1", 3000), new Backend("b", "10.0.0.2", 3000)), runtime);
        publish(configDir, first);

        Process loop = startLoop(configDir, NginxDeploymentDependent.IPV6_PROBE);
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> configId(http, port).equals(NginxConfig.configId(first)));

            publish(configDir, second);
            await().atMost(Duration.ofSeconds(10)).until(() -> configId(http, port).equals(NginxConfig.configId(second)));

            publish(configDir, second.replace("server_tokens off;", "server_tokens off; this is not nginx;"));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(dir.resolve("loop.log")).contains("rejected by nginx -t"));
            assertEquals(NginxConfig.configId(second), configId(http, port), "the running config keeps serving");

            loop.toHandle().destroy();
            assertTrue(loop.waitFor(15, TimeUnit.SECONDS), "nginx stops on SIGTERM");
            assertEquals(0, loop.exitValue(), Files.readString(dir.resolve("loop.log")));
        } finally {
            loop.destroyForcibly();
            loop.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void listensOnIpv6TooUnlessThePodHasNone() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path configDir = Files.createDirectories(dir.resolve("config"));
        NginxRuntime dualStack = new NginxRuntime(Integer.toString(port), true, 1, dir + "/nginx.pid", dir.toString(),
                dir + "/error.log warn", "off");
        String config = NginxConfig.render(Fleets.fleet("chat", "default", 1), List.of(new Backend("a", "10.0.0.1", 3000)), dualStack);
        assertTrue(config.contains("listen [::]:" + port + ";"), config);
        publish(configDir, config);

        for (String probe : List.of(NginxDeploymentDependent.IPV6_PROBE, dir.resolve("no-ipv6-here").toString())) {
            Process loop = startLoop(configDir, probe);
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> configId(http, port).equals(NginxConfig.configId(config)));
                boolean ipv6 = probe.equals(NginxDeploymentDependent.IPV6_PROBE);
                assertEquals(ipv6, accepts("::1", port), ipv6 ? "listens on [::]" : "without IPv6 the [::] listen is left out");
                assertTrue(accepts("127.0.0.1", port), "and on IPv4 either way");
            } finally {
                loop.toHandle().destroy();
                loop.waitFor(15, TimeUnit.SECONDS);
                loop.destroyForcibly();
                loop.descendants().forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** The pod's loop, reading the config from {@code configDir}, its copy and nginx's files kept in the test's directory. */
    private Process startLoop(Path configDir, String ipv6Probe) throws Exception {
        String script = NginxDeploymentDependent.RUN_AND_RELOAD.replace(NginxDeploymentDependent.CONFIG_DIR, configDir.toString())
                .replace(NginxDeploymentDependent.IPV6_PROBE, ipv6Probe);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("loop.log").toFile()));
        builder.environment().put("PATH", Nginx.binary().getParent() + ":" + System.getenv("PATH"));
        builder.environment().put("TMPDIR", dir.toString());
        builder.environment().put("DRAIN_SECONDS", "2"); // as the Deployment sets it
        return builder.start();
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Replaces the file the way the kubelet updates a ConfigMap volume: a new file swapped in. */
    private static void publish(Path configDir, String config) throws Exception {
        Path next = configDir.resolve(".next");
        Files.writeString(next, config);
        Files.move(next, configDir.resolve(NginxConfigMapDependent.CONFIG_KEY), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String configId(HttpClient http, int port) throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nginx-healthz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue(NginxConfig.CONFIG_ID_HEADER).orElse("");
    }
}
