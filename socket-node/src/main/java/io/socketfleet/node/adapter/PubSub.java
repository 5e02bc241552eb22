package io.socketfleet.node.adapter;

import java.util.function.BiConsumer;

/**
 * Publish/subscribe between the nodes of a fleet, as the Redis adapter uses it: every message
 * published reaches every node, the publisher included. {@link RedisBroker} is the real one.
 */
public interface PubSub {

    /** Identifies this node's messages, so it can ignore its own. */
    String uid();

    /** Publishes to every node; may drop the message (and count it) while the channel is down. */
    void publish(String channel, byte[] message);

    /** Receives (channel, message) for every broadcast published in the fleet. */
    void addListener(BiConsumer<String, byte[]> listener);
}
