package io.socketfleet.contract;

import java.util.List;

/**
 * The JVM flags a socket-node is launched with, wherever it is launched: local mode passes them on
 * the command line, the image sets them in {@code JAVA_TOOL_OPTIONS} (socket-node/Dockerfile, checked
 * against this list by a test), the benchmarks measure with them. Heap sizing is the launcher's own
 * (a fixed maximum locally, a share of the container's memory limit in a pod).
 */
public final class NodeJvm {

    /**
     * Chosen on measurement (README, "Memory per idle websocket"): the serial collector, which keeps no
     * remembered sets or per-region tables and a node's small live set does not need a concurrent one
     * for; a young generation of 32 MiB, so a burst of connects touches (and keeps resident) no more
     * of it than that; 256 KiB thread stacks (a node runs a few dozen threads, none recursing deeply).
     */
    public static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-Xmn32m", "-Xss256k");

    private NodeJvm() {
    }
}
