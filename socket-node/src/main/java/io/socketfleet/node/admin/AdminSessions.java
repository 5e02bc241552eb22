package io.socketfleet.node.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The session ids admin-ui hands a logged-in UI (so it reconnects without the password). The UI
 * may reconnect to any node of the fleet, so a session id is checkable by every node without a
 * shared store: issue time and randomness, signed with an HMAC keyed by the password hash every
 * node is given. A session lasts a day; changing the password ends all of them.
 */
final class AdminSessions {

    static final Duration LIFETIME = Duration.ofDays(1);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    AdminSessions(String passwordHash) {
        key = new SecretKeySpec(("socketfleet admin session " + passwordHash).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    String issue(Instant now) {
        byte[] body = ByteBuffer.allocate(24).putLong(now.toEpochMilli()).put(randomBytes()).array();
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(sign(body));
    }

    boolean valid(String sessionId, Instant now) {
        if (sessionId == null) {
            return false;
        }
        String[] parts = sessionId.split("\\.", -1);
        try {
            if (parts.length != 2) {
                return false;
            }
            byte[] body = Base64.getUrlDecoder().decode(parts[0]);
            byte[] signature = Base64.getUrlDecoder().decode(parts[1]);
            if (body.length != 24 || !MessageDigest.isEqual(sign(body), signature)) {
                return false;
            }
            Instant issued = Instant.ofEpochMilli(ByteBuffer.wrap(body).getLong());
            return !issued.isAfter(now) && issued.plus(LIFETIME).isAfter(now);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
