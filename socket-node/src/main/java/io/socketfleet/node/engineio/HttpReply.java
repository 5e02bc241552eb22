package io.socketfleet.node.engineio;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The answer to one HTTP request, possibly sent later (a held long-poll). The HTTP layer
 * implements it with what every response needs (keep-alive, common headers); the Engine.IO
 * layer only says what to answer.
 */
public interface HttpReply {

    /** Sends a response with this status and text body. */
    ChannelFuture text(HttpResponseStatus status, String contentType, String body);

    /** Headers every response to this request carries; the websocket handshake response gets them too. */
    HttpHeaders commonHeaders();

    /** Completes when the connection the request came on closes. */
    ChannelFuture closeFuture();

    /** Answers with an Engine.IO error and its JSON body, e.g. 400 {"code":1,"message":"Session ID unknown"}. */
    default ChannelFuture error(EngineError error) {
        return error(error, error.message());
    }

    /** Answers with an Engine.IO error carrying its own message, e.g. 403 {"code":4,"message":"origin not allowed"}. */
    default ChannelFuture error(EngineError error, String message) {
        return text(HttpResponseStatus.valueOf(error.httpStatus()), "application/json", error.json(message));
    }

    /**
     * Sends a polling payload; with {@code compressible} the HTTP layer gzip- or deflate-encodes it
     * when the request accepts one of them.
     */
    default ChannelFuture payload(String body, boolean compressible) {
        return text(HttpResponseStatus.OK, "text/plain; charset=UTF-8", body);
    }
}
