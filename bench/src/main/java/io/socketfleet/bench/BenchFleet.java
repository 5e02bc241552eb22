package io.socketfleet.bench;

import io.socketfleet.operator.local.LocalFleet;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * A local fleet (real nginx, Redis, socket-node processes) run from a SocketFleet file the
 * scenario writes: {@code spec} gives the lines under {@code spec:} for a number of nodes.
 */
final class BenchFleet implements ScalableFleet {

    final String url;
    private final Path file;
    private final IntFunction<String> spec;
    private final LocalFleet running;

    BenchFleet(int nodes, IntFunction<String> spec) throws Exception {
        this.spec = spec;
        this.file = Files.createTempDirectory("bench-fleet").resolve("bench.yaml");
        write(nodes);
        int port = Repo.freePort();
        Path nodeJar = Repo.path("socket-node/target/socket-node.jar");
        if (!Files.isReadable(nodeJar)) {
            throw new IllegalStateException(nodeJar + " is missing: build with 'mvn -DskipTests package'");
        }
        running = LocalFleet.open(file, "127.0.0.1", port, nodeJar, new PrintStream(OutputStream.nullOutputStream()));
        url = "http://127.0.0.1:" + port;
        await(nodes);
    }

    @Override
    public String url() {
        return url;
    }

    /** Rewrites the file for this many nodes and waits until nginx lists them all. */
    @Override
    public void scale(int nodes) throws Exception {
        write(nodes);
        await(nodes);
    }

    private void write(int nodes) throws Exception {
        Files.writeString(file, "apiVersion: socketfleet.io/v1alpha1\nkind: SocketFleet\nmetadata:\n  name: bench\nspec:\n"
                + spec.apply(nodes));
    }

    private void await(int nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (running.listedBackends() != nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the local fleet did not reach " + nodes + " nodes");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        running.close();
    }
}
