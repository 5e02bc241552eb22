package io.socketfleet.node.engineio;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionIdsTest {

    @Test
    void sessionIdsCarryTheRouteTokenAnd128RandomBits() {
        String sid = SessionIds.engineSessionId("0af400110bb8");
        assertTrue(sid.matches("0af400110bb8\\.[A-Za-z0-9_-]{22}"), sid);
    }

    @Test
    void socketIdsAre20UniqueCharacters() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = SessionIds.socketId();
            assertEquals(20, id.length());
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }
}
