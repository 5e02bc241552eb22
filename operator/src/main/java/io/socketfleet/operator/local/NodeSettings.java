package io.socketfleet.operator.local;

import io.socketfleet.operator.api.NodeSpec;

import java.util.List;

/**
 * What a local node runs with, taken from {@code spec.node}: two nodes run the same settings
 * exactly when their records are equal, and a node whose record differs from the file's is
 * rolled onto a new one. (The image, pull policy and resources mean nothing on one machine.)
 */
record NodeSettings(int port, int pingIntervalMs, int pingTimeoutMs, int drainSeconds, int maxConnections) {

    static NodeSettings of(NodeSpec node) {
        return new NodeSettings(node.getPort(), node.getPingIntervalMs(), node.getPingTimeoutMs(), node.getDrainSeconds(),
                node.getMaxConnections());
    }

    /** The socket-node flags that carry these settings. */
    List<String> flags() {
        return List.of("--port", Integer.toString(port),
                "--ping-interval", Integer.toString(pingIntervalMs),
                "--ping-timeout", Integer.toString(pingTimeoutMs),
                "--drain-seconds", Integer.toString(drainSeconds),
                "--max-connections", Integer.toString(maxConnections));
    }
}
