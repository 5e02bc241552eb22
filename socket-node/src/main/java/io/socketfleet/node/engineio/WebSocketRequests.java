package io.socketfleet.node.engineio;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a websocket upgrade request before anything is created for it, with the rules of
 * the {@code ws} package behind Node's engine.io: a GET with {@code Connection: Upgrade},
 * a key that is 16 bytes in base64, and version 13 (or 8).
 */
final class WebSocketRequests {

    /** 16 random bytes in base64 are always 22 characters and "==". */
    private static final Pattern KEY = Pattern.compile("[+/0-9A-Za-z]{22}==");

    private WebSocketRequests() {
    }

    /** What is wrong with this upgrade request, if anything. */
    static Optional<String> problem(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())) {
            return Optional.of("websocket upgrade with method " + request.method());
        }
        if (!request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return Optional.of("websocket upgrade without 'Connection: Upgrade'");
        }
        String key = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null || !KEY.matcher(key.trim()).matches()) {
            return Optional.of("missing or invalid Sec-WebSocket-Key");
        }
        String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (!"13".equals(version) && !"8".equals(version)) {
            return Optional.of("missing or unsupported Sec-WebSocket-Version " + version);
        }
        return Optional.empty();
    }
}
