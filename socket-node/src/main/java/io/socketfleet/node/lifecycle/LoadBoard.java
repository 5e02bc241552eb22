package io.socketfleet.node.lifecycle;

import java.time.Duration;
import java.util.Map;

/**
 * Where the nodes of a fleet leave their session counts for each other. An entry expires unless
 * written again, so a node that dies drops out by itself.
 */
public interface LoadBoard extends AutoCloseable {

    /** Records this node's load until {@code ttl} has passed. */
    void publish(String node, NodeLoad load, Duration ttl);

    /** The last load of every node whose entry has not expired, by node name. */
    Map<String, NodeLoad> readAll();

    /** Takes this node's entry off at once (a clean stop). */
    void withdraw(String node);

    @Override
    void close();
}
