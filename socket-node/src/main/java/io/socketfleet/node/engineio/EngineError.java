package io.socketfleet.node.engineio;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Every answer that turns an Engine.IO request away, with the code and message its JSON body
 * carries: engine.io's own request errors, then the node's refusals of a new session.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
    UNKNOWN_SID(1, "Session ID unknown", 400),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    BAD_REQUEST(3, "Bad request", 400),
    FORBIDDEN(4, "Forbidden", 403),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400),

    // Refusals: the handshake is well-formed but this node takes no session now (503, so
    // clients retry and a balancer may try another node; 429 when one address asks too much).
    // The code is engine.io's "bad request".
    /** The node is shutting down. */
    DRAINING(3, "Server is draining", 503),
    /** The node has not learnt its route token yet (the port is bound, the token not set). */
    STARTING(3, "Server is starting", 503),
    /** The node holds more than its fair share of the fleet's sessions while another node has room. */
    REBALANCING(3, "Server above its share of the fleet", 503),
    /** {@code --max-connections} sessions are open. */
    CAPACITY(3, "Server at capacity", 503),
    /** This client address already holds {@code --max-handshakes-per-address} sessions without a namespace. */
    TOO_MANY_HANDSHAKES(3, "Too many handshakes from this address", 429);

    private final int code;
    private final String message;
    private final int httpStatus;

    EngineError(int code, String message, int httpStatus) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True for the refusals of a new session (503, or 429 for one address), false for errors in the request. */
    public boolean isRefusal() {
        return httpStatus == 503 || httpStatus == 429;
    }

    /** The JSON body socket.io servers answer with, e.g. {"code":1,"message":"Session ID unknown"}. */
    public String json() {
        return json(message);
    }

    /** The JSON body with another message (an {@code allowRequest} refusal names its own). */
    public String json(String message) {
        return "{\"code\":" + code + ",\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}";
    }
}
