/**
 * Socket.IO v5 and the application API: {@code SocketIoServer}, namespaces, sockets,
 * middleware, acknowledgements and the broadcast operator. A {@code Client} sits on each
 * Engine.IO session; each namespace hands its adapter a delivery hook that encodes a
 * broadcast once and writes it to the targeted sockets.
 *
 * <p>May depend on {@code engineio}, {@code socketio.parser} and {@code adapter}.
 */
package io.socketfleet.node.socketio;
