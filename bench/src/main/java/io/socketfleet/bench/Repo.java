package io.socketfleet.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths into the checkout the benchmarks run from, and free ports. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("socketfleet.repoRoot");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = root.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("bench/js/node-server.js"))) {
                return p;
            }
        }
        throw new IllegalStateException("run the benchmarks from the socketfleet checkout (bench/js/node-server.js not found)");
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
