package io.socketfleet.node.socketio;

import java.security.SecureRandom;
import java.util.Base64;

/** Socket.IO socket ids: 20 random URL-safe characters, as the Node implementation and its adapters expect. */
final class SocketIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SocketIds() {
    }

    /** A new socket id: 120 random bits. */
    static String next() {
        byte[] buffer = new byte[15];
        RANDOM.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}
