package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeJvm;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's application class-data sharing (AppCDS) archive for socket-node, as the image builds
 * one at build time: trained at the first run for a given jar and JVM, then reused by every node of
 * every later run. Training starts a node with {@code -XX:ArchiveClassesAtExit}, takes it through
 * what a fresh node does first — /readyz, a polling handshake and CONNECT, a websocket CONNECT —
 * and stops it with SIGTERM, at which the JVM writes the classes it loaded. The archive sits next
 * to the jar (or in the temp directory when that is read-only), named after the jar's size and
 * modification time and the JVM's version, so a rebuilt jar or another JVM trains a new one. If
 * training fails the nodes simply start without it.
 */
final class NodeClassArchive {

    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(3);

    private NodeClassArchive() {
    }

    /** The archive for this jar and JVM, trained now if there is none yet; empty if training failed. */
    static Optional<Path> prepare(Path java, Path jar, PrintStream log) {
        try {
            Path archive = location(jar);
            if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
                return Optional.of(archive);
            }
            log.println("socketfleet: training socket-node's class-data sharing archive " + archive + " (once per jar build)");
            long started = System.nanoTime();
            Path trained = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".training");
            Files.delete(trained); // the JVM writes it at exit
            try {
                train(java, jar, trained);
                // Whole or not at all: nodes starting meanwhile never see a half-written archive.
                Files.move(trained, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(trained);
            }
            log.printf("socketfleet: archive trained in %.1f s%n", (System.nanoTime() - started) / 1e9);
            return Optional.of(archive);
        } catch (IOException | RuntimeException e) {
            log.println("socketfleet: no class-data sharing archive, nodes load their classes one by one: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The JVM flags a local node starts with: a fixed heap, {@link NodeJvm#FLAGS}, C1 only (many nodes
     * share one machine and live briefly: compiling for the long run would only take their cores; the
     * first 10,000 connects take about a third of the time, see the README's cold-start rows), and the
     * archive if there is one.
     */
    static List<String> nodeJvmFlags(Optional<Path> archive) {
        List<String> flags = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        flags.addAll(NodeJvm.FLAGS);
        archive.ifPresent(path -> flags.add("-XX:SharedArchiveFile=" + path));
        return flags;
    }

    static Path location(Path jar) throws IOException {
        String name = String.format("socket-node-%x-%x-%s.jsa", Files.size(jar), Files.getLastModifiedTime(jar).toMillis(),
                System.getProperty("java.vm.version").replaceAll("[^A-Za-z0-9.]", "_"));
        Path dir = jar.toAbsolutePath().getParent();
        return Files.isWritable(dir) ? dir.resolve(name) : Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
    }

    private static void train(Path java, Path jar, Path archive) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:ArchiveClassesAtExit=" + archive));
        command.addAll(nodeJvmFlags(Optional.empty()));
        command.addAll(List.of("-jar", jar.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--drain-seconds", "0"));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            firstClients("127.0.0.1:" + port);
        } finally {
            node.destroy(); // SIGTERM: the node drains (0 s) and exits, and the JVM writes the archive
            if (!node.waitFor(TRAINING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        if (node.exitValue() != 0 || !Files.isRegularFile(archive)) {
            throw new IOException("the training node exited with " + node.exitValue() + " and no archive");
        }
    }

    /** What a fresh node's first clients make it do. */
    private static void firstClients(String hostPort) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://" + hostPort;
        long deadline = System.nanoTime() + TRAINING_LIMIT.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the training node never became ready");
            }
            Thread.sleep(50);
        }
        String open = http.send(HttpRequest.newBuilder(URI.create(base + "/socket.io/?EIO=4&transport=polling")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int at = open.indexOf("\"sid\":\"");
        if (at >= 0) {
            String poll = base + "/socket.io/?EIO=4&transport=polling&sid=" + open.substring(at + 7, open.indexOf('"', at + 7));
            http.send(HttpRequest.newBuilder(URI.create(poll)).POST(HttpRequest.BodyPublishers.ofString("40")).build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(poll)).build(), HttpResponse.BodyHandlers.discarding());
        }
        CompletableFuture<Void> connected = new CompletableFuture<>();
        WebSocket websocket = http.newWebSocketBuilder().buildAsync(URI.create("ws://" + hostPort
                + "/socket.io/?EIO=4&transport=websocket"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        if (data.toString().startsWith("40")) {
                            connected.complete(null);
                        }
                        socket.request(1);
                        return null;
                    }
                }).join();
        websocket.sendText("40", true).join();
        try {
            connected.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the training websocket never connected", e);
        } finally {
            websocket.abort();
        }
    }
}
