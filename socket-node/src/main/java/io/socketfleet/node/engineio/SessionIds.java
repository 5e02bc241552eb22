package io.socketfleet.node.engineio;

import java.security.SecureRandom;
import java.util.Base64;

/** Engine.IO session ids: the node's route token, then random URL-safe characters. */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {
    }

    /** {@code <route token>.<128 random bits>}: routable by nginx, unguessable. */
    public static String engineSessionId(String routeToken) {
        byte[] buffer = new byte[16];
        RANDOM.nextBytes(buffer);
        return routeToken + "." + URL_SAFE.encodeToString(buffer);
    }
}
