package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;

/**
 * An adapter whose broadcasts also reach the other nodes of the fleet through Redis
 * pub/sub, on the channels and message format of {@code @socket.io/redis-adapter}, so a
 * Node socket.io server on the same Redis is a peer like any other node.
 */
public final class RedisAdapter extends Adapter {

    private final PubSub pubSub;
    private final NodeMetrics metrics;
    private final String channelPrefix;

    public RedisAdapter(String namespace, LocalSockets sockets, PubSub pubSub, NodeMetrics metrics) {
        super(namespace, sockets);
        this.pubSub = pubSub;
        this.metrics = metrics;
        this.channelPrefix = "socket.io#" + namespace + "#";
        pubSub.addListener(this::onPublished);
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

    private void onPublished(String channel, byte[] message) {
        if (!channel.startsWith(channelPrefix)) {
            return;
        }
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
