package io.socketfleet.node.adapter;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Sharded publish/subscribe (Redis 7 {@code SSUBSCRIBE}/{@code SPUBLISH}) as the sharded adapter
 * uses it: a node receives only the channels it subscribed to, and a channel lives on the shard
 * that owns its hash slot. {@link ShardedBroker} is the real one.
 */
public interface ShardedChannels {

    /** Identifies this node's messages (and names its response channels). */
    String uid();

    /**
     * Receives this channel from now on, and again after any reconnection, until unsubscribed. Returns
     * at once: the subscription is made in the background (a message published meanwhile may be missed,
     * as with the Node adapter).
     */
    void subscribe(String channel);

    void unsubscribe(String channel);

    /**
     * Publishes from a background thread; completes with how many subscribers of the channel received it
     * (all of them are on the shard that owns it, this node included when subscribed), or exceptionally
     * when the message could not be sent.
     */
    CompletableFuture<Long> publish(String channel, byte[] message);

    /** Receives (channel, message) for every message on a subscribed channel; runs on a subscriber thread. */
    void addListener(BiConsumer<String, byte[]> listener);

    void removeListener(BiConsumer<String, byte[]> listener);
}
