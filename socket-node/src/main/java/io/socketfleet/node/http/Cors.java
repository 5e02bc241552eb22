package io.socketfleet.node.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;

/** Cross-origin access for the Engine.IO endpoint, from an allow-list of origins. */
public final class Cors {

    private final List<String> allowedOrigins;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Adds the CORS response headers when the request's Origin is allowed. */
    public void apply(HttpRequest request, HttpHeaders response) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || !allows(origin)) {
            return;
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        response.add(HttpHeaderNames.VARY, "Origin");
    }

    /** Extra headers for an OPTIONS preflight. */
    public void applyPreflight(HttpRequest request, HttpHeaders response) {
        apply(request, response);
        if (response.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
            String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            if (requested != null) {
                response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
        }
    }

    public boolean allows(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }
}
