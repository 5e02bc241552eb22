package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An adapter on Redis pub/sub in the classic mode of {@code @socket.io/redis-adapter} 8.x, so
 * a Node socket.io server on the same Redis is a peer like any other node: broadcasts on
 * {@code socket.io#<nsp>#[<room>#]}, and the fleet-wide operations of {@link ClusterAdapter}
 * as requests on {@code socket.io-request#<nsp>#} answered on {@code socket.io-response#<nsp>#}
 * (a Node peer with {@code publishOnSpecificResponseChannel} answers on
 * {@code socket.io-response#<nsp>#<uid>#}, which this node hears too).
 *
 * <p>Servers are counted as Redis counts them: Node's adapter asks {@code PUBSUB NUMSUB} of the
 * request channel, so this node subscribes to it; this node takes the number of subscribers
 * its {@code PUBLISH} reached, which counts exactly the servers that got the request even
 * while the fleet scales.
 */
public final class RedisAdapter extends ClusterAdapter {

    private final PubSub pubSub;
    private final NodeMetrics metrics;
    private final String channelPrefix;
    private final String requestChannel;
    private final String responseChannel;
    private final BiConsumer<String, byte[]> listener = this::onPublished;

    public RedisAdapter(String namespace, LocalSockets sockets, PubSub pubSub, NodeMetrics metrics) {
        super(namespace, sockets);
        this.pubSub = pubSub;
        this.metrics = metrics;
        this.channelPrefix = "socket.io#" + namespace + "#";
        this.requestChannel = "socket.io-request#" + namespace + "#";
        this.responseChannel = "socket.io-response#" + namespace + "#";
        pubSub.addListener(listener);
        pubSub.subscribe(requestChannel);
        pubSub.subscribe(responseChannel);
        pubSub.subscribe(responseChannel + pubSub.uid() + "#");
    }

    /** The namespace is gone from this node (an emptied dynamic child): stop hearing it, as Node's adapter unsubscribes. */
    @Override
    public void close() {
        pubSub.removeListener(listener);
        pubSub.unsubscribe(requestChannel);
        pubSub.unsubscribe(responseChannel);
        pubSub.unsubscribe(responseChannel + pubSub.uid() + "#");
    }

    /** An adapter factory that puts every namespace on this broker. */
    public static AdapterFactory factory(RedisBroker broker, NodeMetrics metrics) {
        return new AdapterFactory() {
            @Override
            public Adapter create(String namespace, LocalSockets sockets) {
                return new RedisAdapter(namespace, sockets, broker, metrics);
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    @Override
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        if (!options.local()) {
            // Like the Node adapter: a broadcast to exactly one room goes on that room's channel.
            String channel = options.rooms().size() == 1
                    ? channelPrefix + options.rooms().iterator().next() + "#"
                    : channelPrefix;
            pubSub.publish(channel, AdapterMessageCodec.encode(pubSub.uid(), packet, options));
        }
        deliverLocally(packet, options);
    }

    @Override
    protected String uid() {
        return pubSub.uid();
    }

    @Override
    protected CompletableFuture<Integer> publishRequest(ClusterRequest request) {
        // This node hears its own request channel too: it is one of the receivers, not one of those who answer.
        return pubSub.publishCounted(requestChannel, ClassicRequestCodec.encodeRequest(pubSub.uid(), request))
                .thenApply(receivers -> (int) Math.max(0, receivers - 1));
    }

    @Override
    protected void publishReply(String requesterUid, ClusterReply reply) {
        pubSub.publish(responseChannel, ClassicRequestCodec.encodeReply(reply));
    }

    private void onPublished(String channel, byte[] message) {
        if (channel.equals(requestChannel)) {
            ClassicRequestCodec.decodeRequest(message).ifPresent(r -> onRequest(r.uid(), r.request()));
        } else if (channel.startsWith(responseChannel)) {
            ClassicRequestCodec.decodeReply(message).ifPresent(this::onReply);
        } else if (channel.startsWith(channelPrefix)) {
            onBroadcast(channel, message);
        }
    }

    private void onBroadcast(String channel, byte[] message) {
        String room = channel.substring(channelPrefix.length());
        if (!room.isEmpty()) {
            room = room.substring(0, room.length() - 1);
            if (!hasRoom(room)) {
                return;
            }
        }
        AdapterMessageCodec.RemoteBroadcast broadcast = AdapterMessageCodec.decode(message);
        if (broadcast.uid().equals(pubSub.uid()) || !namespace.equals(broadcast.packet().nsp())) {
            return;
        }
        metrics.broadcastReceived();
        deliverLocally(broadcast.packet(), broadcast.options());
    }
}
