package io.socketfleet.node.engineio;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a handshake request may open a session (engine.io's {@code allowRequest}),
 * after the request itself passed the protocol checks. It may take its time (ask a store, a
 * token service): the handshake waits for the verdict. A refused client gets 403
 * {@code {"code":4,"message":<message>}}.
 * <pre>{@code
 * engine.allowRequest(request -> CompletableFuture.completedFuture(
 *         "https://app.example".equals(request.headers().get("origin"))
 *                 ? Verdict.ALLOW : Verdict.refuse("origin not allowed")));
 * }</pre>
 */
@FunctionalInterface
public interface AllowRequest {

    CompletionStage<Verdict> check(EngineRequest request);

    /** Admit the request, or refuse it with the message the client reads. */
    record Verdict(boolean allowed, String message) {

        public static final Verdict ALLOW = new Verdict(true, null);

        public static Verdict refuse(String message) {
            return new Verdict(false, message == null ? EngineError.FORBIDDEN.message() : message);
        }
    }
}
