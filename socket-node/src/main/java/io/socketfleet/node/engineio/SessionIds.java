package io.socketfleet.node.engineio;

import java.security.SecureRandom;
import java.util.Base64;

/** Random, URL-safe identifiers for sessions and sockets. */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {
    }

    /** {@code <route token>.<128 random bits>}: routable by nginx, unguessable. */
    public static String engineSessionId(String routeToken) {
        return routeToken + "." + random(16);
    }

    /** A 20-character Socket.IO socket id, as the Node implementation and its adapters expect. */
    public static String socketId() {
        return random(15);
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}
