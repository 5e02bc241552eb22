package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A fleet-wide operation one node asks of the others, independent of how it travels (the
 * classic Redis adapter's request channel, the sharded or streams adapters' messages). A
 * request carrying a {@code requestId} wants replies ({@link ClusterReply}) quoting it.
 */
public sealed interface ClusterRequest {

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of request, so every transport and the executor handle them all. */
    interface Visitor<R> {
        R fetchSockets(FetchSockets request);

        R socketsJoin(SocketsJoin request);

        R socketsLeave(SocketsLeave request);

        R disconnectSockets(DisconnectSockets request);

        R serverSideEmit(ServerSideEmit request);

        R broadcastWithAck(BroadcastWithAck request);

        R listSocketIds(ListSocketIds request);

        R listRooms(ListRooms request);
    }

    /** Describe the sockets the target selects; answered with {@link ClusterReply.SocketsFetched}. */
    record FetchSockets(String requestId, BroadcastOptions target) implements ClusterRequest {
        public FetchSockets {
            Objects.requireNonNull(requestId, "requestId");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.fetchSockets(this);
        }
    }

    /** Make the sockets the target selects join these rooms; no reply. */
    record SocketsJoin(BroadcastOptions target, Set<String> rooms) implements ClusterRequest {
        public SocketsJoin {
            rooms = Set.copyOf(rooms);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.socketsJoin(this);
        }
    }

    /** Make the sockets the target selects leave these rooms; no reply. */
    record SocketsLeave(BroadcastOptions target, Set<String> rooms) implements ClusterRequest {
        public SocketsLeave {
            rooms = Set.copyOf(rooms);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.socketsLeave(this);
        }
    }

    /** Disconnect the sockets the target selects, closing their connections when {@code close}; no reply. */
    record DisconnectSockets(BroadcastOptions target, boolean close) implements ClusterRequest {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.disconnectSockets(this);
        }
    }

    /**
     * An event for the other servers' {@code onServerSideEmit} handlers, {@code data} being
     * {@code [event, args…]}; with a {@code requestId} (else null) each answers once with
     * {@link ClusterReply.ServerSideEmitted}.
     */
    record ServerSideEmit(String requestId, JsonNode data) implements ClusterRequest {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.serverSideEmit(this);
        }
    }

    /**
     * Emit to the sockets the target selects asking each for an acknowledgement: answered with
     * one {@link ClusterReply.ClientCount}, then a {@link ClusterReply.ClientAck} per client
     * that acknowledges within {@code timeout}.
     */
    record BroadcastWithAck(String requestId, BroadcastPacket packet, BroadcastOptions target, Duration timeout)
            implements ClusterRequest {
        public BroadcastWithAck {
            Objects.requireNonNull(requestId, "requestId");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.broadcastWithAck(this);
        }
    }

    /** The ids of the sockets in any of these rooms (all when empty): Node's {@code allSockets()}. */
    record ListSocketIds(String requestId, Set<String> rooms) implements ClusterRequest {
        public ListSocketIds {
            rooms = Set.copyOf(rooms);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.listSocketIds(this);
        }
    }

    /** Every room with a member on the node: Node's {@code adapter.allRooms()}. */
    record ListRooms(String requestId) implements ClusterRequest {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.listRooms(this);
        }
    }
}
