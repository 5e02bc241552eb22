/**
 * Rooms and broadcasts (socket.io-adapter): room membership of one namespace, the sockets a
 * broadcast targets, and — with Redis — the same broadcasts to and from the rest of the fleet
 * on the {@code @socket.io/redis-adapter} wire format. It knows sockets only by id and events
 * only as {@code BroadcastPacket}s; its namespace hands it a {@code LocalSockets} hook for
 * delivery.
 *
 * <p>May depend on {@code metrics} only.
 */
package io.socketfleet.node.adapter;
