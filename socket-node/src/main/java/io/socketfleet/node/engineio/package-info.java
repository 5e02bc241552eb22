/**
 * Engine.IO v4, the transport layer: sessions and their heartbeat, the long-polling and
 * websocket transports and the upgrade between them, packets and their codec, admission and
 * draining, and the shared words of both protocol layers ({@code EngineError},
 * {@code DisconnectReason}). HTTP requests reach it through the small
 * {@link io.socketfleet.node.engineio.HttpReply} it defines; what sits above a session
 * listens through {@link io.socketfleet.node.engineio.SessionListener}.
 *
 * <p>May depend on {@code metrics} only — never on {@code http} or {@code socketio}.
 */
package io.socketfleet.node.engineio;
