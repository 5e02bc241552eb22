package io.socketfleet.contract;

import java.util.List;

/**
 * The JVM flags a socket-node is launched with, wherever it is launched: local mode passes them on
 * the command line, the image sets them in {@code JAVA_TOOL_OPTIONS} (socket-node/Dockerfile, checked
 * against this list by a test), the benchmarks measure with them. Heap sizing is the launcher's own
 * (a fixed maximum locally, a share of the container's memory limit in a pod).
 */
public final class NodeJvm {

    /** Chosen on measurement; see the README's "Memory per idle websocket". */
    public static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xss256k", "-XX:TieredStopAtLevel=1");

    private NodeJvm() {
    }
}
