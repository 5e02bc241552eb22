package io.socketfleet.node.engineio;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.concurrent.CompletionStage;

/**
 * Engine-level HTTP middleware (engine.io 6.5's {@code engine.use((req, res, next) => …)}): runs, in
 * the order added, for every request to the Engine.IO endpoint — handshakes, polls and websocket
 * upgrades alike — before the engine looks at it. It may attach attributes to the request (a
 * handshake's show in {@code socket.request().attributes()}), add headers to the response
 * ({@code responseHeaders}; on a websocket, to the upgrade response) or refuse the request by
 * completing exceptionally: the client gets 400 {@code {"code":3,"message":"Bad request"}} and
 * {@code connection_error} reports {@code MIDDLEWARE_FAILURE}, as in engine.io.
 * <pre>{@code
 * node.engine().use((request, responseHeaders) -> sessions.find(request.headers().get("cookie"))
 *         .thenAccept(user -> request.attributes().put("user", user.orElseThrow())));
 * }</pre>
 */
@FunctionalInterface
public interface EngineMiddleware {

    CompletionStage<Void> apply(EngineRequest request, HttpHeaders responseHeaders);
}
