package io.socketfleet.node.adapter;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Publish/subscribe between the nodes of a fleet, as the Redis adapter uses it: every message
 * published reaches every node subscribed to its channel, the publisher included. Every node
 * receives the broadcast channels; other channels only once {@link #subscribe}d.
 * {@link RedisBroker} is the real one.
 */
public interface PubSub {

    /** Identifies this node's messages, so it can ignore its own. */
    String uid();

    /** Publishes to every node; may drop the message (and count it) while the channel is down. */
    void publish(String channel, byte[] message);

    /**
     * Publishes and completes with how many subscribers received the message (this node
     * included when it is subscribed to the channel); exceptionally when it could not be sent.
     */
    CompletableFuture<Long> publishCounted(String channel, byte[] message);

    /** Also receives this channel from now on (and again after a reconnection), as one subscriber Redis counts. */
    void subscribe(String channel);

    /** No longer receives this channel (a namespace's adapter closing). */
    void unsubscribe(String channel);

    /** Receives (channel, message) for every message this node receives. */
    void addListener(BiConsumer<String, byte[]> listener);

    void removeListener(BiConsumer<String, byte[]> listener);
}
