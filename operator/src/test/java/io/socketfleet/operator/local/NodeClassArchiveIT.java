package io.socketfleet.operator.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode's class-data sharing archive: trained from the packaged socket-node jar at the first
 * run, reused by the next without training again, and a node started with local mode's flags and
 * {@code -Xshare:on} (which refuses to start on an archive it cannot use) maps socket-node's classes from it.
 */
class NodeClassArchiveIT {

    private static final Path JAR = Path.of(System.getProperty("socketfleet.repoRoot", ".."), "socket-node/target/socket-node.jar")
            .toAbsolutePath().normalize();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void theFirstRunTrainsAnArchiveTheNextReuseAndANodeMapsClassesFrom(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(JAR, dir.resolve("socket-node.jar")); // a jar of its own: no archive next to it yet
        ByteArrayOutputStream firstLog = new ByteArrayOutputStream();
        Optional<Path> archive = NodeClassArchive.prepare(JAVA, jar, new PrintStream(firstLog, true, StandardCharsets.UTF_8));
        assertTrue(archive.isPresent(), firstLog.toString(StandardCharsets.UTF_8));
        assertEquals(dir, archive.get().getParent(), "next to the jar");
        assertTrue(Files.size(archive.get()) > 0);
        assertTrue(firstLog.toString(StandardCharsets.UTF_8).contains("training"));

        ByteArrayOutputStream secondLog = new ByteArrayOutputStream();
        assertEquals(archive, NodeClassArchive.prepare(JAVA, jar, new PrintStream(secondLog, true, StandardCharsets.UTF_8)));
        assertFalse(secondLog.toString(StandardCharsets.UTF_8).contains("training"), "reused, not trained again");
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("socket-node.jar", archive.get().getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "no training leftovers");
        }

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xshare:on", "-Xlog:class+load=info"));
        command.addAll(NodeClassArchive.nodeJvmFlags(archive));
        command.addAll(List.of("-jar", jar.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--drain-seconds", "0", "--warmup-ms", "0"));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        int fromArchive = 0;
        boolean ownFromArchive = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.contains("listening on"); line = out.readLine()) {
                if (line.contains("source: shared objects file (top)")) {
                    fromArchive++;
                    ownFromArchive |= line.contains("io.socketfleet.node.engineio.");
                }
            }
        } finally {
            node.destroy();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(fromArchive > 1000, fromArchive + " classes from the archive");
        assertTrue(ownFromArchive, "socket-node's own classes come from the archive");
    }
}
