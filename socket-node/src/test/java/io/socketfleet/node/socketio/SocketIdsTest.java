package io.socketfleet.node.socketio;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketIdsTest {

    @Test
    void socketIdsAre20UniqueUrlSafeCharacters() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = SocketIds.next();
            assertTrue(id.matches("[A-Za-z0-9_-]{20}"), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }
}
