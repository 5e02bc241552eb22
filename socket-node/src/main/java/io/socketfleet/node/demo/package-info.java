/**
 * The demo application served at {@code /}: greets each client with its node's name, relays
 * chat to the whole fleet and shows every node's client count, asked of the fleet with
 * {@code serverSideEmitWithAck}: no store of its own.
 *
 * <p>An application like any other: may depend on the {@code socketio} API only.
 */
package io.socketfleet.node.demo;
