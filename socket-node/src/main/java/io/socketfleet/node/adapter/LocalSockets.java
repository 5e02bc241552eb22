package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The adapter's hooks into its namespace on this node, handed to it by the namespace (as
 * socket.io-adapter is handed the server's encoder, {@code client.writeToEngine} and the
 * namespace's sockets). Socket ids that are no longer connected here are skipped.
 */
public interface LocalSockets {

    /** Encodes the packet once and writes it to each of these sockets, as the flags say (volatile, compress). */
    void deliver(BroadcastPacket packet, Set<String> socketIds, PacketFlags flags);

    /**
     * Writes the packet to each of these sockets asking for an acknowledgement, as the flags say
     * (a volatile one counts a socket it was dropped for, whose ack then never comes, as in Node), and calls
     * {@code onAck} with the first argument of each one that comes within {@code timeout}
     * (a JSON null when the client answered with none).
     *
     * @return how many sockets it was written to, so how many acks may come
     */
    int deliverWithAck(BroadcastPacket packet, Set<String> socketIds, PacketFlags flags, Duration timeout,
                       Consumer<JsonNode> onAck);

    /** What {@code fetchSockets()} reports of each of these sockets. */
    List<SocketDetails> describe(Set<String> socketIds);

    /** Each of these sockets joins every one of the rooms, as if it had called {@code join} itself. */
    void join(Set<String> socketIds, Set<String> rooms);

    /** Each of these sockets leaves every one of the rooms. */
    void leave(Set<String> socketIds, Set<String> rooms);

    /** Disconnects each of these sockets from the namespace; with {@code close}, closes its connection too. */
    void disconnect(Set<String> socketIds, boolean close);

    /**
     * Another server's {@code serverSideEmit}: runs the namespace's handlers for the event in
     * {@code data} ({@code [event, args…]}). {@code ack} takes the one answer the requesting
     * server waits for, or is null when it waits for none.
     */
    void serverSideEmit(JsonNode data, Consumer<JsonNode> ack);
}
