package io.socketfleet.node.socketio;

import java.util.concurrent.CompletionStage;

/**
 * A {@link PacketMiddleware} that may take its time: the event goes on when the stage completes
 * normally and stops when it completes exceptionally (the socket's error handlers get the cause).
 * Events are still handled in order per middleware chain run; the next middleware and the handlers
 * run on the connection's event loop.
 */
@FunctionalInterface
public interface AsyncPacketMiddleware {

    CompletionStage<Void> handle(IncomingEvent event);
}
