package io.socketfleet.node.demo;

import java.time.Duration;
import java.util.Map;

/**
 * Where the nodes of a fleet leave their client counts for each other. An entry expires
 * unless written again, so a node that dies drops out by itself.
 */
interface PresenceStore extends AutoCloseable {

    /** Records this node's count until {@code ttl} has passed. */
    void write(String node, int clients, Duration ttl);

    /** The last count of every node whose entry has not expired, by node name. */
    Map<String, Integer> readAll();

    @Override
    void close();
}
