package io.socketfleet.node.adapter;

import io.socketfleet.node.adapter.ClusterMessage.Broadcast;
import io.socketfleet.node.adapter.ClusterMessage.Options;
import io.socketfleet.node.metrics.NodeMetrics;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * An adapter on Redis 7 sharded pub/sub, wire-compatible with {@code @socket.io/redis-adapter}'s
 * {@code createShardedAdapter} (8.x), so Node servers using it are peers: every message of
 * socket.io-adapter's cluster protocol ({@link ClusterMessage}) goes on the namespace's channel
 * {@code socket.io#<nsp>#}, answers on the requester's {@code socket.io#<nsp>#<uid>#}, and —
 * following the {@link SubscriptionMode} — a broadcast to exactly one room without acks on the room's
 * channel {@code socket.io#<nsp>#<room>#}, which only the nodes holding the room subscribe to.
 *
 * <p>Servers are counted by the {@code SPUBLISH} that carries a request: it reports how many
 * subscribers of the namespace's channel received it, so exactly the servers that will answer,
 * even while the fleet scales (Node asks {@code PUBSUB SHARDNUMSUB} before publishing).
 */
public final class ShardedRedisAdapter extends ClusterMessageAdapter {

    private final ShardedChannels channels;
    private final SubscriptionMode mode;
    private final NodeMetrics metrics;
    private final String channel;
    private final String responseChannel;
    private final BiConsumer<String, byte[]> listener = this::onRaw;
    /** Room channels this adapter subscribed to, so a deleted room is unsubscribed exactly when it was subscribed. */
    private final Set<String> roomChannels = ConcurrentHashMap.newKeySet();

    public ShardedRedisAdapter(String namespace, LocalSockets sockets, ShardedChannels channels, SubscriptionMode mode,
                               NodeMetrics metrics) {
        super(namespace, sockets);
        this.channels = channels;
        this.mode = mode;
        this.metrics = metrics;
        this.channel = "socket.io#" + namespace + "#";
        this.responseChannel = channel + channels.uid() + "#";
        channels.addListener(listener);
        channels.subscribe(channel);
        channels.subscribe(responseChannel);
    }

    /** An adapter factory that puts every namespace on this broker. */
    public static AdapterFactory factory(ShardedBroker broker, SubscriptionMode mode, NodeMetrics metrics) {
        return new AdapterFactory() {
            @Override
            public Adapter create(String namespace, LocalSockets sockets) {
                return new ShardedRedisAdapter(namespace, sockets, broker, mode, metrics);
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    @Override
    protected String uid() {
        return channels.uid();
    }

    @Override
    protected void roomCreated(String room, boolean socketsOwnRoom) {
        if (mode.subscribesTo(socketsOwnRoom)) {
            String name = roomChannel(room);
            roomChannels.add(name);
            channels.subscribe(name);
        }
    }

    @Override
    protected void roomDeleted(String room) {
        String name = roomChannel(room);
        if (roomChannels.remove(name)) {
            channels.unsubscribe(name);
        }
    }

    private String roomChannel(String room) {
        return channel + room + "#";
    }

    @Override
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        if (!options.local()) {
            // As computeChannel in the Node adapter: one room (and no acks) may have a channel of its own.
            String target = options.rooms().size() == 1 && mode.publishesOnRoomChannel(options.rooms().iterator().next())
                    ? roomChannel(options.rooms().iterator().next()) : channel;
            publish(target, new Broadcast(packet, Options.of(options), null));
        }
        deliverLocally(packet, options);
    }

    @Override
    protected CompletableFuture<Integer> publishRequest(ClusterRequest request) {
        ClusterMessage.Body body = message(request);
        if (body == null) {
            return CompletableFuture.completedFuture(0);
        }
        // This node receives its own message on the namespace's channel: it is counted, but does not answer.
        return publish(channel, body).thenApply(receivers -> (int) Math.max(0, receivers - 1));
    }

    @Override
    protected void publishReply(String requesterUid, ClusterReply reply) {
        ClusterMessage.Body body = message(reply);
        if (body != null) {
            publish(channel + requesterUid + "#", body);
        }
    }

    private CompletableFuture<Long> publish(String target, ClusterMessage.Body body) {
        return channels.publish(target, ClusterMessageCodec.encode(new ClusterMessage(uid(), namespace, body)));
    }

    private void onRaw(String name, byte[] bytes) {
        if (name.startsWith(channel)) {
            onClusterMessage(ClusterMessageCodec.decode(bytes));
        }
    }

    @Override
    protected void onRemoteBroadcast(Broadcast broadcast) {
        metrics.broadcastReceived();
        deliverLocally(broadcast.packet(), broadcast.opts().broadcastOptions());
    }

    @Override
    public void close() {
        channels.removeListener(listener);
        channels.unsubscribe(channel);
        channels.unsubscribe(responseChannel);
        new ArrayList<>(roomChannels).forEach(name -> {
            roomChannels.remove(name);
            channels.unsubscribe(name);
        });
    }
}
