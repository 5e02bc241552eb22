package io.socketfleet.node.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;

/**
 * Cross-origin access for the Engine.IO endpoint, as the {@code cors} npm package (which
 * socket.io uses) answers it: an origin named in the allow-list is echoed back with
 * credentials allowed; {@code *} admits any origin with a literal {@code *} and never with
 * credentials, so a page on any site cannot ride the user's cookies.
 */
public final class Cors {

    private static final String ANY = "*";

    private final List<String> allowedOrigins;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Adds the CORS response headers when the request's Origin is allowed. */
    public void apply(HttpRequest request, HttpHeaders response) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && allowedOrigins.contains(origin)) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            response.add(HttpHeaderNames.VARY, "Origin");
        } else if (allowedOrigins.contains(ANY)) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
        }
    }

    /** Extra headers for an OPTIONS preflight. */
    public void applyPreflight(HttpRequest request, HttpHeaders response) {
        apply(request, response);
        if (response.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
            String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            if (requested != null) {
                response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
                response.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            }
        }
    }
}
