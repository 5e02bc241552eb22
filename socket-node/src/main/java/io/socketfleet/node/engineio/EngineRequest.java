package io.socketfleet.node.engineio;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP request to the Engine.IO endpoint as the engine sees it (engine.io's
 * {@code EngineRequest}): the method and URL as sent, headers, the query, whether the connection
 * was encrypted and whether the request came cross-origin (it carried an {@code Origin} header).
 * {@code allowRequest} and {@code connection_error} see every header; a session keeps only those
 * the options name (see {@link EngineOptions#handshakeHeaders()}), so {@code xdomain} is decided
 * from the full request. {@code attributes} are what engine middleware attached to the request (a
 * user, a session; Node's middleware sets fields on {@code req}): a socket's {@code request()} shows
 * those of its handshake request.
 */
public record EngineRequest(String method, String url, HttpHeaders headers, Map<String, List<String>> query,
                            boolean secure, boolean xdomain, Map<String, Object> attributes) {

    /** The request as it arrived on this channel, every header copied (it may be looked at after the request is gone). */
    static EngineRequest of(Channel channel, HttpRequest request, QueryStringDecoder query) {
        return of(channel, request, query, new ConcurrentHashMap<>());
    }

    /** The same, with the attributes engine middleware attached to it (see {@link EngineMiddleware}). */
    static EngineRequest of(Channel channel, HttpRequest request, QueryStringDecoder query, Map<String, Object> attributes) {
        Map<String, List<String>> parameters;
        try {
            parameters = query == null ? Map.of() : query.parameters();
        } catch (IllegalArgumentException e) {
            parameters = Map.of();
        }
        return new EngineRequest(request.method().name(), request.uri(), request.headers().copy(), parameters,
                channel.pipeline().get(SslHandler.class) != null, request.headers().contains(HttpHeaderNames.ORIGIN),
                attributes);
    }

    /** The same request holding only these headers. */
    public EngineRequest withHeaders(HttpHeaders kept) {
        return new EngineRequest(method, url, kept, query, secure, xdomain, attributes);
    }

    /**
     * What an open session keeps of its handshake request: only these headers, and the query without
     * the two keys every handshake has (see {@link SessionQuery}), which it still shows.
     */
    EngineRequest kept(HttpHeaders keptHeaders) {
        return new EngineRequest(method, url, keptHeaders, SessionQuery.of(query), secure, xdomain, attributes);
    }
}
