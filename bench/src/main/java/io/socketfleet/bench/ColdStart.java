package io.socketfleet.bench;

import io.socketfleet.contract.NodeJvm;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 5: a freshly started server, as a node just scaled up — from starting the process to
 * /readyz answering 200, then its first websocket connects (as many as idle-connections opens),
 * each with the server CPU it took. socket-node runs as its image does ({@code java -jar
 * socket-node.jar} with the node's JVM flags, {@link NodeJvm#FLAGS}), step by step: as is, with
 * the AppCDS archive its image builds ({@code socket-node/src/main/docker/cds-training.sh},
 * trained here first), then also with its warm-up before listening (the default), then also with
 * C1 only ({@code -XX:TieredStopAtLevel=1}). For each, the node's own account of its start (JVM
 * to its code, warm-up, Netty bind) is reported too. Node socket.io runs as the benchmark's Node server.
 * With --profile, the image's way and C1 only are profiled ({@link WindowProfiler#fromLaunch}):
 * from the JVM's start to /readyz, then the first connects, each its own profile; their figures
 * then include the profiler's cost, and the restart between the two (jcmd) is outside both.
 */
final class ColdStart implements Scenario {

    private static final String HOST = "127.0.0.1";
    /** The node's start as it logs it: "JVM 412 ms, warm-up 3,212 connections 1,004 ms, Netty bind 35 ms, …". */
    private static final Pattern JVM = Pattern.compile("JVM ([\\d,]+) ms");
    private static final Pattern WARMUP = Pattern.compile("warm-up ([\\d,]+) connections ([\\d,]+) ms");
    private static final Pattern BIND = Pattern.compile("Netty bind ([\\d,]+) ms");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade, which Node hands to engine.io
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public String name() {
        return "cold-start";
    }

    /**
     * One way of starting socket-node: its label suffix, whether with the archive, the warm-up flag,
     * more JVM flags, and the name its profiles get with --profile (null: not profiled).
     */
    private record Variant(String suffix, boolean archive, String warmupMs, List<String> jvmFlags, String profile) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant(", no AppCDS, no warm-up", false, "0", List.of(), null),
            new Variant(", AppCDS archive, no warm-up", true, "0", List.of(), null),
            new Variant("", true, null, List.of(), "socket-node-cold-start"),
            new Variant(", C1 only", true, null, List.of("-XX:TieredStopAtLevel=1"), "socket-node-c1-only-cold-start"));

    @Override
    public void run(Settings settings, Results results) throws Exception {
        Path jar = Repo.path("socket-node/target/socket-node.jar");
        Path archive = Files.createTempDirectory("bench-cds").resolve("socket-node.jsa");
        train(jar, archive);
        if (settings.servers().contains(ServerProcess.Kind.SOCKET_NODE)) {
            for (Variant variant : VARIANTS) {
                String profile = WindowProfiler.dir == null ? null : variant.profile();
                List<String> jvmFlags = new ArrayList<>(variant.jvmFlags());
                if (profile != null) {
                    jvmFlags.addAll(WindowProfiler.fromLaunch());
                }
                measure(settings, results, ServerProcess.Kind.SOCKET_NODE.label, variant.suffix(),
                        socketNode(jar, variant.archive() ? archive : null, variant.warmupMs(), jvmFlags), profile);
            }
        }
        if (settings.servers().contains(ServerProcess.Kind.NODE_SOCKET_IO)) {
            int port = Repo.freePort();
            measure(settings, results, ServerProcess.Kind.NODE_SOCKET_IO.label, "", new Launch(port, List.of("node",
                    Repo.path("bench/js/node-server.js").toString(), HOST, Integer.toString(port),
                    Integer.toString(ServerProcess.PING_INTERVAL_MS), Integer.toString(ServerProcess.PING_TIMEOUT_MS))), null);
        }
    }

    /** A server command and the port it will listen on. */
    private record Launch(int port, List<String> command) {
    }

    private static Launch socketNode(Path jar, Path archive, String warmupMs, List<String> jvmFlags) throws IOException {
        int port = Repo.freePort();
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Xmx2g"));
        command.addAll(NodeJvm.FLAGS);
        command.addAll(jvmFlags);
        if (archive != null) {
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(List.of("-jar", jar.toString(), "--bind", HOST, "--port", Integer.toString(port),
                "--ping-interval-ms", Integer.toString(ServerProcess.PING_INTERVAL_MS),
                "--ping-timeout-ms", Integer.toString(ServerProcess.PING_TIMEOUT_MS),
                "--max-connections", "1000000", "--drain-seconds", "0"));
        if (warmupMs != null) {
            command.addAll(List.of("--warmup-ms", warmupMs));
        }
        return new Launch(port, command);
    }

    /** Measures one start; with a profile name, the server was launched sampling and its two phases are written as profiles. */
    private void measure(Settings settings, Results results, String subject, String variant, Launch launch, String profile)
            throws Exception {
        long started = System.nanoTime();
        try (ServerProcess server = ServerProcess.launch(subject, launch.command(), HOST, launch.port());
             JavaGenerator load = new JavaGenerator()) {
            awaitReady(server.url);
            double readySeconds = (System.nanoTime() - started) / 1e9;
            long cpuAtReady = server.cpuNanos();
            String n = String.format("%,d", settings.idleClients());
            long cpuBeforeConnects = cpuAtReady;
            if (profile != null) {
                WindowProfiler.stopCold(server, profile + "-to-readyz");
                WindowProfiler.restart(server);
                cpuBeforeConnects = server.cpuNanos(); // the dump and restart are not the connects' CPU
            }
            long connectStarted = System.nanoTime();
            load.connect(List.of(server.url), settings.idleClients());
            double connectSeconds = (System.nanoTime() - connectStarted) / 1e9;
            long connectCpu = server.cpuNanos() - cpuBeforeConnects;
            if (profile != null) {
                WindowProfiler.stopCold(server, profile + "-first-" + settings.idleClients() + "-connects-java-generator");
            }
            String startLine = String.join("\n", server.startupOutput);
            millis(JVM, 1, startLine).ifPresent(ms -> results.add(name(), "java", "JVM start to the node's code" + variant, "s",
                    subject, ms / 1000.0, false));
            millis(WARMUP, 2, startLine).ifPresent(ms -> results.add(name(), "java", "warm-up before listening" + variant, "s",
                    subject, ms / 1000.0, false));
            millis(BIND, 1, startLine).ifPresent(ms -> results.add(name(), "java", "Netty start and bind" + variant, "s",
                    subject, ms / 1000.0, false));
            results.add(name(), "java", "start to /readyz" + variant, "s", subject, readySeconds, false);
            results.add(name(), "java", "server CPU to /readyz" + variant, "s", subject, cpuAtReady / 1e9, false);
            results.add(name(), "java", "first " + n + " connects" + variant, "s", subject, connectSeconds, false);
            results.add(name(), "java", "server CPU per connect, first " + n + variant, "µs", subject,
                    connectCpu / 1000.0 / settings.idleClients(), false);
        }
    }

    /** A figure in milliseconds from the node's start line, if it printed one. */
    private static Optional<Long> millis(Pattern pattern, int group, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(Long.parseLong(matcher.group(group).replace(",", ""))) : Optional.empty();
    }

    private void awaitReady(String url) throws InterruptedException {
        HttpRequest readyz = HttpRequest.newBuilder(URI.create(url + "/readyz")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " never became ready");
    }

    /** The image's training run, on this machine. */
    private static void train(Path jar, Path archive) throws IOException, InterruptedException {
        Process training = new ProcessBuilder(Repo.path("socket-node/src/main/docker/cds-training.sh").toString(),
                jar.toString(), archive.toString(), Integer.toString(Repo.freePort()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!training.waitFor(5, TimeUnit.MINUTES) || training.exitValue() != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("cds-training.sh failed to write " + archive);
        }
    }
}
