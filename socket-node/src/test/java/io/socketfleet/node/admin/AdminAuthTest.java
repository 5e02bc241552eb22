package io.socketfleet.node.admin;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin UI's password check on bcryptjs' own hashes, and the session ids any node of the fleet can check. */
class AdminAuthTest {

    /** {@code require('bcryptjs').hashSync('s3cret', 10)}, as admin-ui's documentation makes the hash. */
    private static final String HASH = "$2a$10$kH9sel5n7cHH1bL/6g4cuu8Vfmtn8FM7l.QkEXxClX5T9mQ.reJpm";
    private static final Instant NOW = Instant.parse("2026-11-26T19:00:00Z");

    @Test
    void checksPasswordsAgainstABcryptjsHash() {
        assertTrue(BcryptPassword.matches(HASH, "s3cret"));
        assertFalse(BcryptPassword.matches(HASH, "s3cret "));
        assertFalse(BcryptPassword.matches(HASH, null));
        assertTrue(BcryptPassword.matches(HASH.replace("$2a$", "$2b$"), "s3cret"), "$2b$ is the same algorithm");
    }

    @Test
    void refusesWhatIsNotABcryptHash() {
        for (String bad : new String[]{null, "", "s3cret", "$2a$10$short", HASH.substring(1)}) {
            assertThrows(IllegalArgumentException.class, () -> new AdminUiOptions("admin", bad, false), String.valueOf(bad));
        }
        assertEquals("AdminUiOptions[username=admin, readonly=true]", new AdminUiOptions("admin", HASH, true).toString(),
                "the hash is never printed");
    }

    @Test
    void aSessionIdIsValidOnEveryNodeWithTheSameHashForADay() {
        String session = new AdminSessions(HASH).issue(NOW);
        AdminSessions otherNode = new AdminSessions(HASH);
        assertTrue(otherNode.valid(session, NOW.plusSeconds(60)));
        assertFalse(otherNode.valid(session, NOW.plus(AdminSessions.LIFETIME)), "expired");
        assertFalse(new AdminSessions(HASH.replace("reJpm", "reJpn")).valid(session, NOW), "another password");
        String forged = session.substring(0, session.indexOf('.')) + ".AAAA";
        assertFalse(otherNode.valid(forged, NOW));
        assertFalse(otherNode.valid("x", NOW));
        assertFalse(otherNode.valid("%%%.%%%", NOW));
        assertFalse(otherNode.valid(null, NOW));
    }
}
