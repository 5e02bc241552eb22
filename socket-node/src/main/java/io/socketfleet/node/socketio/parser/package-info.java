/**
 * The Socket.IO packet codec (socket.io-parser): packet types, the encoder (a text header
 * plus binary attachments), the stateful decoder with its validity checks, and the node's
 * one JSON mapper.
 *
 * <p>Standalone: depends on nothing of ours.
 */
package io.socketfleet.node.socketio.parser;
