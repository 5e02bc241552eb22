package io.socketfleet.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPortTest {

    @Test
    void parsesAndWritesBackTheSameText() {
        for (String text : new String[] {"10.244.0.17:3000", "[fd00::17]:65535", "[::1]:1"}) {
            assertEquals(text, HostPort.parse(text).toString());
        }
        assertEquals(new HostPort("fd00::17", 3000), HostPort.parse("[fd00::17]:3000"));
        assertEquals("[fd00::17]", new HostPort("fd00::17", 3000).hostForUrl());
    }

    @Test
    void ordersByHostThenPort() {
        assertEquals(-1, Integer.signum(HostPort.parse("10.0.0.1:3001").compareTo(HostPort.parse("10.0.0.2:3000"))));
        assertEquals(-1, Integer.signum(HostPort.parse("10.0.0.1:3000").compareTo(HostPort.parse("10.0.0.1:3001"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.0.17", "example.com:3000", "10.244.0.17:", ":3000", "10.244.0.17:0",
            "10.244.0.17:70000", "10.244.0.17:abc", "10.0.0.1:3000; include /etc/passwd", "[fd00::17:3000"})
    void refusesWhatIsNotAnIpAndPort(String text) {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(null));
        assertThrows(IllegalArgumentException.class, () -> new HostPort(null, 3000));
    }
}
