package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The fleet-wide half of the adapter's operations, whatever carries the messages: a request
 * goes to the other nodes with {@link #publishRequest}, each runs it on its own sockets
 * ({@link #onRequest}) and answers with {@link #publishReply}, and the requester collects
 * the answers ({@link #onReply}). A subclass only moves {@link ClusterRequest}s and
 * {@link ClusterReply}s between nodes in its wire format.
 *
 * <p>How many servers answer is what {@link #publishRequest} reports for the request it
 * sent (the classic adapter: the subscribers Redis delivered it to). A server that got it
 * and died, or a client that never acknowledges, costs the wait until the deadline; the
 * answers that came are returned then, marked incomplete, never an error. A request of a
 * kind a transport does not know (a newer node during a rolling update) is ignored by it,
 * and the sender's deadline covers the missing answer.
 */
public abstract class ClusterAdapter extends Adapter {

    private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);

    private final PendingRequests pending = new PendingRequests();
    private final LocalExecution execution = new LocalExecution();

    protected ClusterAdapter(String namespace, LocalSockets sockets) {
        super(namespace, sockets);
    }

    /** Identifies this node's requests and replies in the fleet. */
    protected abstract String uid();

    /**
     * Sends the request to the other nodes of the fleet; completes with how many of them
     * received it (this node not counted), or exceptionally when it could not be sent.
     */
    protected abstract CompletableFuture<Integer> publishRequest(ClusterRequest request);

    /** Sends a reply to the node that asked. */
    protected abstract void publishReply(String requesterUid, ClusterReply reply);

    /** A request from another node (one from this node itself is ignored): run it here and answer. */
    protected final void onRequest(String requesterUid, ClusterRequest request) {
        if (!uid().equals(requesterUid)) {
            request.accept(execution.forRequester(requesterUid));
        }
    }

    /** A reply from another node to one of this node's requests. */
    protected final void onReply(ClusterReply reply) {
        pending.dispatch(reply);
    }

    @Override
    public CompletableFuture<Collected<JsonNode>> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options,
                                                                 Duration timeout) {
        if (options.local()) {
            return super.broadcastWithAck(packet, options, timeout);
        }
        BroadcastAcks acks = new BroadcastAcks(timeout);
        String requestId = PendingRequests.newRequestId();
        pending.expect(requestId, ClusterReply.ClientCount.class, reply -> acks.clientCount(reply.count()), acks.result());
        pending.expect(requestId, ClusterReply.ClientAck.class, reply -> acks.ack(reply.value()), acks.result());
        publishRequest(new ClusterRequest.BroadcastWithAck(requestId, packet, options, timeout))
                .whenComplete((others, error) -> acks.expectServers(1 + (error == null ? others : 0)));
        acks.clientCount(deliverLocallyWithAck(packet, options, timeout, acks::ack));
        return acks.result();
    }

    @Override
    public CompletableFuture<Collected<SocketDetails>> fetchSockets(BroadcastOptions options, Duration timeout) {
        if (options.local()) {
            return super.fetchSockets(options, timeout);
        }
        ServerReplies<List<SocketDetails>> replies = new ServerReplies<>(timeout);
        String requestId = PendingRequests.newRequestId();
        pending.expect(requestId, ClusterReply.SocketsFetched.class, reply -> replies.add(reply.sockets()), replies.result());
        replies.add(describeLocally(options));
        publishRequest(new ClusterRequest.FetchSockets(requestId, options)).whenComplete((others, error) -> {
            if (error == null) {
                replies.expect(others + 1);
            } else {
                replies.giveUp();
            }
        });
        return replies.result().thenApply(perServer -> {
            if (!perServer.complete()) {
                log.warn("fetchSockets on {}: only {} servers answered in time (this one included)", namespace,
                        perServer.values().size());
            }
            List<SocketDetails> all = new ArrayList<>();
            perServer.values().forEach(all::addAll);
            return new Collected<>(all, perServer.complete());
        });
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        if (!options.local()) {
            publish(new ClusterRequest.SocketsJoin(options, rooms));
        }
        addLocally(options, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        if (!options.local()) {
            publish(new ClusterRequest.SocketsLeave(options, rooms));
        }
        removeLocally(options, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        if (!options.local()) {
            publish(new ClusterRequest.DisconnectSockets(options, close));
        }
        disconnectLocally(options, close);
    }

    @Override
    public void serverSideEmit(JsonNode data) {
        publish(new ClusterRequest.ServerSideEmit(null, data));
    }

    @Override
    public CompletableFuture<Collected<JsonNode>> serverSideEmitWithAck(JsonNode data, Duration timeout) {
        ServerReplies<JsonNode> replies = new ServerReplies<>(timeout);
        String requestId = PendingRequests.newRequestId();
        pending.expect(requestId, ClusterReply.ServerSideEmitted.class, reply -> replies.add(reply.value()),
                replies.result());
        publishRequest(new ClusterRequest.ServerSideEmit(requestId, data)).whenComplete((others, error) -> {
            if (error == null) {
                replies.expect(others);
            } else {
                replies.giveUp();
            }
        });
        return replies.result();
    }

    /** Requests still waiting for answers (for tests: a finished request is forgotten). */
    int pendingRequests() {
        return pending.size();
    }

    private void publish(ClusterRequest request) {
        publishRequest(request).whenComplete((others, error) -> {
            if (error != null) {
                log.warn("could not send a {} to the fleet: {}", request.getClass().getSimpleName(), error.getMessage());
            }
        });
    }

    /** Runs other nodes' requests on this node's sockets and answers the node that asked. */
    private final class LocalExecution {

        ClusterRequest.Visitor<Void> forRequester(String requesterUid) {
            return new ClusterRequest.Visitor<>() {
                @Override
                public Void fetchSockets(ClusterRequest.FetchSockets request) {
                    publishReply(requesterUid, new ClusterReply.SocketsFetched(request.requestId(),
                            describeLocally(request.target())));
                    return null;
                }

                @Override
                public Void socketsJoin(ClusterRequest.SocketsJoin request) {
                    addLocally(request.target(), request.rooms());
                    return null;
                }

                @Override
                public Void socketsLeave(ClusterRequest.SocketsLeave request) {
                    removeLocally(request.target(), request.rooms());
                    return null;
                }

                @Override
                public Void disconnectSockets(ClusterRequest.DisconnectSockets request) {
                    disconnectLocally(request.target(), request.close());
                    return null;
                }

                @Override
                public Void serverSideEmit(ClusterRequest.ServerSideEmit request) {
                    sockets.serverSideEmit(request.data(), request.requestId() == null ? null
                            : once(value -> publishReply(requesterUid,
                                    new ClusterReply.ServerSideEmitted(request.requestId(), value))));
                    return null;
                }

                @Override
                public Void broadcastWithAck(ClusterRequest.BroadcastWithAck request) {
                    int clients = deliverLocallyWithAck(request.packet(), request.target(), request.timeout(),
                            value -> publishReply(requesterUid, new ClusterReply.ClientAck(request.requestId(), value)));
                    publishReply(requesterUid, new ClusterReply.ClientCount(request.requestId(), clients));
                    return null;
                }

                @Override
                public Void listSocketIds(ClusterRequest.ListSocketIds request) {
                    publishReply(requesterUid, new ClusterReply.SocketIdsListed(request.requestId(),
                            targets(new BroadcastOptions(request.rooms(), Set.of(), true))));
                    return null;
                }

                @Override
                public Void listRooms(ClusterRequest.ListRooms request) {
                    publishReply(requesterUid, new ClusterReply.RoomsListed(request.requestId(), localRooms()));
                    return null;
                }
            };
        }

        /** The requester waits for one answer per server: a handler answering twice sends the first. */
        private Consumer<JsonNode> once(Consumer<JsonNode> answer) {
            AtomicBoolean sent = new AtomicBoolean();
            return value -> {
                if (sent.compareAndSet(false, true)) {
                    answer.accept(value == null ? NullNode.getInstance() : value);
                }
            };
        }
    }
}
