package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/** A node's answer to a {@link ClusterRequest}, quoting its {@code requestId}. */
public sealed interface ClusterReply {

    String requestId();

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of reply, so every transport encodes them all. */
    interface Visitor<R> {
        R socketsFetched(SocketsFetched reply);

        R serverSideEmitted(ServerSideEmitted reply);

        R clientCount(ClientCount reply);

        R clientAck(ClientAck reply);

        R socketIdsListed(SocketIdsListed reply);

        R roomsListed(RoomsListed reply);
    }

    /** One server's sockets for a fetch. */
    record SocketsFetched(String requestId, List<SocketDetails> sockets) implements ClusterReply {
        public SocketsFetched {
            sockets = List.copyOf(sockets);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.socketsFetched(this);
        }
    }

    /** One server's acknowledgement of a server-side emit: the first argument its handler answered with. */
    record ServerSideEmitted(String requestId, JsonNode value) implements ClusterReply {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.serverSideEmitted(this);
        }
    }

    /** How many of one server's clients a broadcast with acks reached, so how many acks to wait for from there. */
    record ClientCount(String requestId, int count) implements ClusterReply {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.clientCount(this);
        }
    }

    /** One client's acknowledgement of a broadcast: the first argument it answered with. */
    record ClientAck(String requestId, JsonNode value) implements ClusterReply {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.clientAck(this);
        }
    }

    /** One server's socket ids for {@link ClusterRequest.ListSocketIds}. */
    record SocketIdsListed(String requestId, Set<String> socketIds) implements ClusterReply {
        public SocketIdsListed {
            socketIds = Set.copyOf(socketIds);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.socketIdsListed(this);
        }
    }

    /** One server's rooms for {@link ClusterRequest.ListRooms}. */
    record RoomsListed(String requestId, Set<String> rooms) implements ClusterReply {
        public RoomsListed {
            rooms = Set.copyOf(rooms);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.roomsListed(this);
        }
    }
}
