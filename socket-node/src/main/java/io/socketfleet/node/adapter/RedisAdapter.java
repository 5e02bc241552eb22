package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;

/**
 * An adapter whose broadcasts also reach the other nodes of the fleet through Redis
 * pub/sub, on the channels and message format of {@code @socket.io/redis-adapter}, so a
 * Node socket.io server on the same Redis is a peer like any other node.
 */
public final class RedisAdapter extends Adapter {

    private final RedisBroker broker;
    private final NodeMetrics metrics;
    private final String channelPrefix;

    public RedisAdapter(String namespace, LocalSockets sockets, RedisBroker broker, NodeMetrics metrics) {
        super(namespace, sockets);
        this.broker = broker;
        this.metrics = metrics;
        this.channelPrefix = "socket.io#" + namespace + "#";
        broker.addListener(this::onPublished);
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
            broker.publish(channel, AdapterMessageCodec.encode(broker.uid(), packet, options));
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
        if (broadcast.uid().equals(broker.uid()) || !namespace.equals(broadcast.packet().nsp())) {
            return;
        }
        metrics.broadcastReceived();
        deliverLocally(broadcast.packet(), broadcast.options());
    }
}
