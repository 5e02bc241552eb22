package io.socketfleet.node.engineio;

import java.util.Map;

/**
 * A request the engine turned away (engine.io's {@code connection_error} event): the request,
 * the error code and message its client got, and what was wrong ({@code transport},
 * {@code sid}, {@code method}, {@code name}, or the refusal's {@code message}).
 */
public record ConnectionError(EngineRequest request, int code, String message, Map<String, Object> context) {

    public ConnectionError {
        context = Map.copyOf(context);
    }
}
