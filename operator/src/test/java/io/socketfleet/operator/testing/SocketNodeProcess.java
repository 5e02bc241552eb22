package io.socketfleet.operator.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real socket-node, run from the jar the build made (socket-node is packaged before the
 * operator's integration tests run), reachable at {@code address()}.
 */
public final class SocketNodeProcess implements AutoCloseable {

    private final Process process;
    private final String address;

    private SocketNodeProcess(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /** Starts a node bound to {@code ip:port} and waits until it answers /healthz. */
    public static SocketNodeProcess start(String ip, int port, String name, String... flags) throws IOException {
        return start(ip, port, name, Map.of(), flags);
    }

    /** The same, with these environment variables (settings as a pod's env gives them, secrets included). */
    public static SocketNodeProcess start(String ip, int port, String name, Map<String, String> env, String... flags)
            throws IOException {
        Path jar = Path.of(System.getProperty("socketfleet.repoRoot", ".."), "socket-node/target/socket-node.jar")
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build socket-node first (mvn -o -DskipTests package)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString(), "--bind", ip, "--port", Integer.toString(port), "--node-name", name));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        SocketNodeProcess node = new SocketNodeProcess(process, ip + ":" + port);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                // Ready, not just alive: the port is bound before the node takes sessions (503 "starting" until then).
                HttpRequest.newBuilder(URI.create("http://" + node.address + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return node;
    }

    /** IP:port the node listens on. */
    public String address() {
        return address;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
