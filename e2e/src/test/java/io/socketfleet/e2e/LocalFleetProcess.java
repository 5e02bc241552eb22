package io.socketfleet.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** {@code socketfleet-operator local -f FILE} as a real process, its output kept for assertions. */
final class LocalFleetProcess implements AutoCloseable {

    private final Path file;
    private final int port;
    /** spec.node.port, or 0 for the default (3000). */
    private final int nodePort;
    /** More spec.node fields, written with every version of the file. */
    private final Map<String, Object> nodeFields;
    /** More spec lines (indented by two), written with every version of the file. */
    private final List<String> specLines;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    LocalFleetProcess(String name, int replicas, int drainSeconds) throws IOException {
        this(name, replicas, drainSeconds, 0);
    }

    /** A fleet whose nodes listen on {@code nodePort}, so it can run beside another test's fleet on the default port. */
    LocalFleetProcess(String name, int replicas, int drainSeconds, int nodePort) throws IOException {
        this(name, replicas, drainSeconds, nodePort, Map.of());
    }

    /** With more spec.node fields (each node runs them; changing them later would roll the nodes). */
    LocalFleetProcess(String name, int replicas, int drainSeconds, int nodePort, Map<String, Object> nodeFields) throws IOException {
        this(name, replicas, drainSeconds, nodePort, nodeFields, List.of());
    }

    /** With more spec.node fields and more spec lines, such as an autoscaling block. */
    LocalFleetProcess(String name, int replicas, int drainSeconds, int nodePort, Map<String, Object> nodeFields,
                      List<String> specLines) throws IOException {
        this(name, replicas, drainSeconds, nodePort, nodeFields, specLines, List.of());
    }

    /** With more spec.node fields, more spec lines and more arguments of {@code local}. */
    LocalFleetProcess(String name, int replicas, int drainSeconds, int nodePort, Map<String, Object> nodeFields,
                      List<String> specLines, List<String> localArgs) throws IOException {
        this.nodePort = nodePort;
        this.nodeFields = new java.util.TreeMap<>(nodeFields);
        this.specLines = List.copyOf(specLines);
        this.port = Repo.freePort();
        this.file = Files.createTempDirectory("e2e-fleet").resolve(name + ".yaml");
        write(name, replicas, drainSeconds);
        List<String> command = new java.util.ArrayList<>(List.of(Repo.java(), "-jar", Repo.requireJar(Repo.OPERATOR_JAR).toString(),
                "local", "-f", file.toString(), "--port", Integer.toString(port), "--node-jar", Repo.requireJar(Repo.NODE_JAR).toString()));
        command.addAll(localArgs);
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    System.out.println("[local] " + line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "local-fleet-output");
        reader.setDaemon(true);
        reader.start();
        try {
            awaitLine(l -> l.contains("is up with " + replicas + " nodes"), Duration.ofSeconds(90));
        } catch (RuntimeException | Error e) {
            // A fleet that never came up must not outlive the test: SIGTERM, so it stops what it started.
            try {
                stop();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    void write(String name, int replicas, int drainSeconds) throws IOException {
        write(String.join("\n",
                "apiVersion: socketfleet.io/v1alpha1",
                "kind: SocketFleet",
                "metadata:",
                "  name: " + name,
                "spec:",
                "  replicas: " + replicas,
                "  node:",
                "    drainSeconds: " + drainSeconds,
                nodePort == 0 ? "" : "    port: " + nodePort,
                nodeFields.entrySet().stream().map(e -> "    " + e.getKey() + ": " + e.getValue())
                        .collect(java.util.stream.Collectors.joining("\n")),
                specLines.stream().map(l -> "  " + l).collect(java.util.stream.Collectors.joining("\n")),
                ""));
    }

    /** Replaces the file the way an editor saves it. */
    void write(String yaml) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".swp");
        Files.writeString(next, yaml);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path nginxConfig() {
        return lines.stream().filter(l -> l.startsWith("socketfleet: nginx config at "))
                .map(l -> Path.of(l.substring("socketfleet: nginx config at ".length(), l.indexOf(';'))))
                .findFirst().orElseThrow();
    }

    int linesSoFar() {
        return lines.size();
    }

    /** Waits for a line (after {@code from}) matching the predicate. */
    String awaitLine(int from, Predicate<String> match, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> lines.subList(Math.min(from, lines.size()), lines.size()).stream().anyMatch(match));
        return lines.subList(from, lines.size()).stream().filter(match).findFirst().orElseThrow();
    }

    String awaitLine(Predicate<String> match, Duration timeout) {
        return awaitLine(0, match, timeout);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    Process process() {
        return process;
    }

    /** SIGTERM, as Ctrl-C or a service manager would; returns the exit code. */
    int stop() throws InterruptedException {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        reader.join(5000); // the last lines it printed
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
