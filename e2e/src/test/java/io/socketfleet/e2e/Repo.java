package io.socketfleet.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths into this checkout, and free ports. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("socketfleet.repoRoot", "..")).toAbsolutePath().normalize();
    static final Path OPERATOR_JAR = ROOT.resolve("operator/target/socketfleet-operator.jar");
    static final Path NODE_JAR = ROOT.resolve("socket-node/target/socket-node.jar");
    static final Path JS = ROOT.resolve("e2e/src/test/js");
    static final Path ARTIFACTS = ROOT.resolve("e2e/target/e2e-artifacts");

    private Repo() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Path requireJar(Path jar) {
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn -DskipTests package' first (mvn verify does)");
        }
        return jar;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
