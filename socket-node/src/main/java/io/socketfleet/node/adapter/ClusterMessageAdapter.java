package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.adapter.ClusterMessage.Broadcast;
import io.socketfleet.node.adapter.ClusterMessage.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@link ClusterAdapter} whose transport speaks socket.io-adapter's cluster protocol
 * ({@link ClusterMessage}), as the sharded pub/sub and the streams adapters do: requests and
 * replies become the cluster messages that carry them, and a message from another node becomes
 * the request or reply it carries. What moves the messages, and plain broadcasts, stay the
 * subclass's. As in Node's cluster adapter, listing socket ids and rooms stays on this node.
 */
public abstract class ClusterMessageAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClusterMessageAdapter.class);
    /** Node's cluster adapter waits this long for answers when the request names no timeout. */
    private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    protected ClusterMessageAdapter(String namespace, LocalSockets sockets) {
        super(namespace, sockets);
    }

    /** A broadcast without acks from another node, to deliver to this node's sockets. */
    protected abstract void onRemoteBroadcast(Broadcast broadcast);

    /** The cluster message that carries a request; null for those the cluster protocol has not. */
    protected static ClusterMessage.Body message(ClusterRequest request) {
        return request.accept(REQUESTS);
    }

    /** The cluster response that carries a reply; null for those the cluster protocol has not. */
    protected static ClusterMessage.Body message(ClusterReply reply) {
        return reply.accept(REPLIES);
    }

    /**
     * Handles a message from the fleet: another node's request is run here, a response goes to
     * the request waiting for it. This node's own messages and other namespaces' are ignored.
     */
    protected final void onClusterMessage(ClusterMessage message) {
        if (message.uid().equals(uid()) || !message.nsp().equals(namespace)) {
            return;
        }
        String from = message.uid();
        switch (message.type()) {
            case BROADCAST -> {
                Broadcast broadcast = (Broadcast) message.body();
                if (broadcast.withAck()) {
                    onRequest(from, new ClusterRequest.BroadcastWithAck(broadcast.requestId(), broadcast.packet(),
                            broadcast.opts().broadcastOptions(), timeout(broadcast.opts())));
                } else {
                    onRemoteBroadcast(broadcast);
                }
            }
            case SOCKETS_JOIN -> {
                ClusterMessage.SocketsJoin join = (ClusterMessage.SocketsJoin) message.body();
                onRequest(from, new ClusterRequest.SocketsJoin(join.opts().broadcastOptions(), Set.copyOf(join.rooms())));
            }
            case SOCKETS_LEAVE -> {
                ClusterMessage.SocketsLeave leave = (ClusterMessage.SocketsLeave) message.body();
                onRequest(from, new ClusterRequest.SocketsLeave(leave.opts().broadcastOptions(), Set.copyOf(leave.rooms())));
            }
            case DISCONNECT_SOCKETS -> {
                ClusterMessage.DisconnectSockets disconnect = (ClusterMessage.DisconnectSockets) message.body();
                onRequest(from, new ClusterRequest.DisconnectSockets(disconnect.opts().broadcastOptions(), disconnect.close()));
            }
            case FETCH_SOCKETS -> {
                ClusterMessage.FetchSockets fetch = (ClusterMessage.FetchSockets) message.body();
                onRequest(from, new ClusterRequest.FetchSockets(fetch.requestId(), fetch.opts().broadcastOptions()));
            }
            case SERVER_SIDE_EMIT -> {
                ClusterMessage.ServerSideEmit emit = (ClusterMessage.ServerSideEmit) message.body();
                onRequest(from, new ClusterRequest.ServerSideEmit(emit.requestId(), emit.packet()));
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
            // Neither transport counts servers by heartbeats (the Node adapters count subscribers); a peer's are ignored.
            case INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE -> log.debug("ignoring {} from {}", message.type(), from);
        }
    }

    private static Duration timeout(Options opts) {
        long millis = opts.flags().path("timeout").asLong(0);
        return millis > 0 ? Duration.ofMillis(millis) : DEFAULT_ACK_TIMEOUT;
    }

    private static final ClusterRequest.Visitor<ClusterMessage.Body> REQUESTS = new ClusterRequest.Visitor<>() {
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
    };

    private static final ClusterReply.Visitor<ClusterMessage.Body> REPLIES = new ClusterReply.Visitor<>() {
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
    };
}
