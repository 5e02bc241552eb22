package io.socketfleet.node.engineio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionIdsTest {

    @Test
    void sessionIdsCarryTheRouteTokenAnd128RandomBits() {
        String sid = SessionIds.engineSessionId("0af400110bb8");
        assertTrue(sid.matches("0af400110bb8\\.[A-Za-z0-9_-]{22}"), sid);
    }
}
