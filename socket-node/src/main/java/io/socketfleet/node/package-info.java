/**
 * socket-node's entry points: {@code Main} (the command line), {@code NodeConfig} (what a node
 * is started with) and {@code SocketNode}, which binds the Netty server and wires the layers
 * together — http over engineio, socketio over engineio and an adapter, the demo on top.
 *
 * <p>May depend on every package below it and on the {@code contract} module (the route token, the node settings);
 * nothing depends on it. {@code ArchitectureTest} holds the whole table.
 */
package io.socketfleet.node;
