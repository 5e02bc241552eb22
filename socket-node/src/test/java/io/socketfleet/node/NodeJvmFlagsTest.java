package io.socketfleet.node;

import io.socketfleet.contract.NodeJvm;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image launches a node with the same JVM flags as local mode and the benchmarks (contract NodeJvm). */
class NodeJvmFlagsTest {

    private static final Pattern TOOL_OPTIONS = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"");

    @Test
    void everyJavaToolOptionsOfTheImageCarriesTheNodesFlags() throws Exception {
        Matcher options = TOOL_OPTIONS.matcher(Files.readString(Path.of("Dockerfile")));
        boolean any = false;
        while (options.find()) {
            any = true;
            List<String> flags = Arrays.asList(options.group(1).split("\\s+"));
            assertTrue(flags.containsAll(NodeJvm.FLAGS), flags + " lacks some of " + NodeJvm.FLAGS);
            assertFalse(flags.stream().anyMatch(flag -> flag.startsWith("-XX:+Use") && flag.endsWith("GC")
                    && !NodeJvm.FLAGS.contains(flag)), "no other collector than the node's: " + flags);
        }
        assertTrue(any, "the Dockerfile sets JAVA_TOOL_OPTIONS");
    }
}
