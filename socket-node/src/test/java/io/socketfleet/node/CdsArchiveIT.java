package io.socketfleet.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's cold-start archive: the training script (run at image build time) writes an AppCDS
 * archive from the packaged jar, and a node started with it and {@code -Xshare:on} (which refuses
 * to start on an archive it cannot use) maps its classes — Netty's, the HTTP pipeline's and
 * Engine.IO's among them — from the archive rather than the jar.
 */
class CdsArchiveIT {

    private static final Path JAR = Path.of("target/socket-node.jar").toAbsolutePath();

    @Test
    void theTrainingRunWritesAnArchiveANodeStartsFrom(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("socket-node.jsa");
        Process training = new ProcessBuilder(Path.of("src/main/docker/cds-training.sh").toAbsolutePath().toString(),
                JAR.toString(), archive.toString(), Integer.toString(freePort()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("training.log").toFile()).start();
        assertTrue(training.waitFor(5, TimeUnit.MINUTES), "training run did not end");
        assertEquals(0, training.exitValue(), Files.readString(dir.resolve("training.log")));
        assertTrue(Files.size(archive) > 0);

        Process node = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-jar", JAR.toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(freePort()), "--drain-seconds", "0"))
                .redirectErrorStream(true).start();
        int fromArchive = 0;
        boolean engineFromArchive = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.contains("listening on"); line = out.readLine()) {
                if (line.contains("source: shared objects file (top)")) {
                    fromArchive++;
                    engineFromArchive |= line.contains("io.socketfleet.node.engineio.");
                }
            }
        } finally {
            node.destroy();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(fromArchive > 1000, fromArchive + " classes from the application archive");
        assertTrue(engineFromArchive, "socket-node's own classes come from the archive");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
