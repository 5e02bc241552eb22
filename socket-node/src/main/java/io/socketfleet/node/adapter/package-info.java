/**
 * Rooms and broadcasts (socket.io-adapter): room membership of one namespace, the sockets a
 * broadcast targets, and — with Redis — the same broadcasts to and from the rest of the fleet
 * on the {@code @socket.io/redis-adapter} wire format. It knows sockets only by id and events
 * only as {@code BroadcastPacket}s; its namespace hands it a {@code LocalSockets} hook for
 * delivery.
 *
 * <h2>Fleet-wide operations, whatever the transport</h2>
 * {@link io.socketfleet.node.adapter.ClusterAdapter} holds what a node does for fetchSockets,
 * socketsJoin/Leave, disconnectSockets, serverSideEmit (with or without acks) and broadcasts with
 * acks: a {@link io.socketfleet.node.adapter.ClusterRequest} goes to the other nodes, each runs it
 * on its own sockets through its {@code LocalSockets} hook and answers with
 * {@link io.socketfleet.node.adapter.ClusterReply}s, and the requester collects them against the
 * number of servers the transport says received the request, a deadline returning the answers
 * that came ({@link io.socketfleet.node.adapter.Collected}). A transport subclass only converts
 * requests and replies to its wire format and moves them: {@link io.socketfleet.node.adapter.RedisAdapter}
 * on the classic {@code socket.io-request#}/{@code socket.io-response#} channels
 * ({@code ClassicRequestCodec}); the cluster-message transports
 * ({@link io.socketfleet.node.adapter.ShardedRedisAdapter} on sharded pub/sub,
 * {@link io.socketfleet.node.adapter.RedisStreamsAdapter} on the stream plus pub/sub for requests
 * that wait for answers) map the model below onto the same requests and replies through
 * {@link io.socketfleet.node.adapter.ClusterMessageAdapter}. Every transport counts servers as the
 * Node adapters do, by the subscribers of the channel a request went out on.
 *
 * <h2>The cluster message model</h2>
 * socket.io-adapter's {@code ClusterAdapter} protocol, which the sharded Redis pub/sub adapter
 * ({@code createShardedAdapter}) and the Redis streams adapter both speak, lives here apart from
 * any transport:
 * <ul>
 *   <li>{@link io.socketfleet.node.adapter.ClusterMessage} — {@code uid}, {@code nsp} and a sealed
 *       body per {@link io.socketfleet.node.adapter.ClusterMessageType} (heartbeats, broadcasts
 *       with or without acks, sockets join/leave/disconnect, fetch sockets, server-side emit, their
 *       responses, adapter close);</li>
 *   <li>{@link io.socketfleet.node.adapter.ClusterMessageCodec} — the message as the object the
 *       Node adapters build, and that object as JSON or msgpack (msgpack only when a type that may
 *       carry binary carries some). A transport picks its framing: whole messages as bytes (sharded
 *       pub/sub; always msgpack for the streams adapter's requests and answers on pub/sub), or
 *       {@code uid}/{@code nsp}/{@code type} as stream fields with {@code data} alone JSON or
 *       base64 msgpack (the stream).</li>
 * </ul>
 * A transport publishes and receives these messages and responses (responses go to the
 * requester's channel only); what a node does with a request is the same whatever carried it.
 *
 * <p>May depend on {@code metrics} and {@code redis} (the node's one way to Redis) only, as ArchitectureTest holds.
 */
package io.socketfleet.node.adapter;
