/**
 * What a node does about its share of the fleet: it publishes its session count where the other
 * nodes read it ({@code LoadBoard}), works out whether it holds more than its fair share
 * ({@code FairShare}) and, while it does, sheds the excess at a bounded rate by closing transports
 * and turns new handshakes away ({@code Rebalancer}), so the clients reconnect through the load
 * balancer to the nodes with room.
 *
 * <p>May depend on {@code engineio}, {@code metrics} and {@code redis} only.
 */
package io.socketfleet.node.lifecycle;
