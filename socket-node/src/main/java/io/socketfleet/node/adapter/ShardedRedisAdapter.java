package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.adapter.ClusterMessage.Broadcast;
import io.socketfleet.node.adapter.ClusterMessage.Options;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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
 * even while the fleet scales (Node asks {@code PUBSUB SHARDNUMSUB} before publishing). As in Node's
 * cluster adapter, listing socket ids and rooms stays on this node.
 */
public final class ShardedRedisAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(ShardedRedisAdapter.class);
    /** Node's cluster adapter waits this long for answers when the request names no timeout. */
    private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    private final ShardedChannels channels;
    private final SubscriptionMode mode;
    private final NodeMetrics metrics;
    private final String channel;
    private final String responseChannel;
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
        channels.addListener(this::onRaw);
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
        ClusterMessage.Body body = request.accept(new RequestMessages());
        if (body == null) {
            return CompletableFuture.completedFuture(0);
        }
        // This node receives its own message on the namespace's channel: it is counted, but does not answer.
        return publish(channel, body).thenApply(receivers -> (int) Math.max(0, receivers - 1));
    }

    @Override
    protected void publishReply(String requesterUid, ClusterReply reply) {
        ClusterMessage.Body body = reply.accept(new ReplyMessages());
        if (body != null) {
            publish(channel + requesterUid + "#", body);
        }
    }

    private CompletableFuture<Long> publish(String target, ClusterMessage.Body body) {
        return channels.publish(target, ClusterMessageCodec.encode(new ClusterMessage(uid(), namespace, body)));
    }

    private void onRaw(String name, byte[] bytes) {
        if (!name.startsWith(channel)) {
            return;
        }
        ClusterMessage message = ClusterMessageCodec.decode(bytes);
        if (message.uid().equals(uid()) || !message.nsp().equals(namespace)) {
            return;
        }
        switch (message.type()) {
            case BROADCAST -> onBroadcast(message.uid(), (Broadcast) message.body());
            case SOCKETS_JOIN -> {
                ClusterMessage.SocketsJoin join = (ClusterMessage.SocketsJoin) message.body();
                onRequest(message.uid(), new ClusterRequest.SocketsJoin(join.opts().broadcastOptions(), Set.copyOf(join.rooms())));
            }
            case SOCKETS_LEAVE -> {
                ClusterMessage.SocketsLeave leave = (ClusterMessage.SocketsLeave) message.body();
                onRequest(message.uid(), new ClusterRequest.SocketsLeave(leave.opts().broadcastOptions(), Set.copyOf(leave.rooms())));
            }
            case DISCONNECT_SOCKETS -> {
                ClusterMessage.DisconnectSockets disconnect = (ClusterMessage.DisconnectSockets) message.body();
                onRequest(message.uid(), new ClusterRequest.DisconnectSockets(disconnect.opts().broadcastOptions(), disconnect.close()));
            }
            case FETCH_SOCKETS -> {
                ClusterMessage.FetchSockets fetch = (ClusterMessage.FetchSockets) message.body();
                onRequest(message.uid(), new ClusterRequest.FetchSockets(fetch.requestId(), fetch.opts().broadcastOptions()));
            }
            case SERVER_SIDE_EMIT -> {
                ClusterMessage.ServerSideEmit emit = (ClusterMessage.ServerSideEmit) message.body();
                onRequest(message.uid(), new ClusterRequest.ServerSideEmit(emit.requestId(), emit.packet()));
            }
            case FETCH_SOCKETS_RESPONSE -> {
                ClusterMessage.FetchSocketsResponse response = (ClusterMessage.FetchSocketsResponse) message.body();
                onReply(new ClusterReply.SocketsFetched(response.requestId(), response.sockets()));
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ClusterMessage.ServerSideEmitResponse response = (ClusterMessage.ServerSideEmitResponse) message.body();
                onReply(new ClusterReply.ServerSideEmitted(response.requestId(), response.packet()));
            }
            case BROADCAST_CLIENT_COUNT -> {
                ClusterMessage.BroadcastClientCount count = (ClusterMessage.BroadcastClientCount) message.body();
                onReply(new ClusterReply.ClientCount(count.requestId(), count.clientCount()));
            }
            case BROADCAST_ACK -> {
                ClusterMessage.BroadcastAck ack = (ClusterMessage.BroadcastAck) message.body();
                onReply(new ClusterReply.ClientAck(ack.requestId(), ack.packet()));
            }
            // The sharded adapter has no heartbeats (Node's counts servers by SHARDNUMSUB); a newer peer's are ignored.
            case INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE -> log.debug("ignoring {} from {}", message.type(), message.uid());
        }
    }

    private void onBroadcast(String senderUid, Broadcast broadcast) {
        BroadcastOptions options = broadcast.opts().broadcastOptions();
        if (broadcast.withAck()) {
            onRequest(senderUid, new ClusterRequest.BroadcastWithAck(broadcast.requestId(), broadcast.packet(), options,
                    timeout(broadcast.opts())));
        } else {
            metrics.broadcastReceived();
            deliverLocally(broadcast.packet(), options);
        }
    }

    private static Duration timeout(Options opts) {
        long millis = opts.flags().path("timeout").asLong(0);
        return millis > 0 ? Duration.ofMillis(millis) : DEFAULT_ACK_TIMEOUT;
    }

    @Override
    public void close() {
        channels.unsubscribe(channel);
        channels.unsubscribe(responseChannel);
        new ArrayList<>(roomChannels).forEach(name -> {
            roomChannels.remove(name);
            channels.unsubscribe(name);
        });
    }

    /** Each request as the cluster message that carries it; null for those the cluster protocol has not. */
    private final class RequestMessages implements ClusterRequest.Visitor<ClusterMessage.Body> {
        @Override
        public ClusterMessage.Body fetchSockets(ClusterRequest.FetchSockets request) {
            return new ClusterMessage.FetchSockets(Options.of(request.target()), request.requestId());
        }

        @Override
        public ClusterMessage.Body socketsJoin(ClusterRequest.SocketsJoin request) {
            return new ClusterMessage.SocketsJoin(Options.of(request.target()), List.copyOf(request.rooms()));
        }

        @Override
        public ClusterMessage.Body socketsLeave(ClusterRequest.SocketsLeave request) {
            return new ClusterMessage.SocketsLeave(Options.of(request.target()), List.copyOf(request.rooms()));
        }

        @Override
        public ClusterMessage.Body disconnectSockets(ClusterRequest.DisconnectSockets request) {
            return new ClusterMessage.DisconnectSockets(Options.of(request.target()), request.close());
        }

        @Override
        public ClusterMessage.Body serverSideEmit(ClusterRequest.ServerSideEmit request) {
            return new ClusterMessage.ServerSideEmit(request.data(), request.requestId());
        }

        @Override
        public ClusterMessage.Body broadcastWithAck(ClusterRequest.BroadcastWithAck request) {
            Options opts = Options.of(request.target());
            ObjectNode flags = opts.flags().put("timeout", request.timeout().toMillis());
            return new Broadcast(request.packet(), new Options(opts.rooms(), opts.except(), flags), request.requestId());
        }

        @Override
        public ClusterMessage.Body listSocketIds(ClusterRequest.ListSocketIds request) {
            return null;
        }

        @Override
        public ClusterMessage.Body listRooms(ClusterRequest.ListRooms request) {
            return null;
        }
    }

    /** Each reply as the cluster response that carries it; null for those the cluster protocol has not. */
    private static final class ReplyMessages implements ClusterReply.Visitor<ClusterMessage.Body> {
        @Override
        public ClusterMessage.Body socketsFetched(ClusterReply.SocketsFetched reply) {
            return new ClusterMessage.FetchSocketsResponse(reply.requestId(), reply.sockets());
        }

        @Override
        public ClusterMessage.Body serverSideEmitted(ClusterReply.ServerSideEmitted reply) {
            return new ClusterMessage.ServerSideEmitResponse(reply.requestId(), reply.value());
        }

        @Override
        public ClusterMessage.Body clientCount(ClusterReply.ClientCount reply) {
            return new ClusterMessage.BroadcastClientCount(reply.requestId(), reply.count());
        }

        @Override
        public ClusterMessage.Body clientAck(ClusterReply.ClientAck reply) {
            return new ClusterMessage.BroadcastAck(reply.requestId(), reply.value());
        }

        @Override
        public ClusterMessage.Body socketIdsListed(ClusterReply.SocketIdsListed reply) {
            return null;
        }

        @Override
        public ClusterMessage.Body roomsListed(ClusterReply.RoomsListed reply) {
            return null;
        }
    }
}
