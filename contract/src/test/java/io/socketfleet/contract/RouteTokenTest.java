package io.socketfleet.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTokenTest {

    private static String token(String hostAndPort) {
        return RouteToken.of(HostPort.parse(hostAndPort));
    }

    @Test
    void sharedTestVector() {
        assertEquals("0af400110bb8", token("10.244.0.17:3000"));
    }

    @Test
    void fromAddressAndPortAsTheOperatorHasThem() {
        assertEquals("0af400110bb8", RouteToken.of(new HostPort("10.244.0.17", 3000)));
        assertEquals("fd000000000000000000000000000017ffff", new HostPort("fd00::17", 65535).routeToken());
    }

    @Test
    void loopbackAndIpv6() {
        assertEquals("7f0000020bb8", token("127.0.0.2:3000"));
        assertEquals("000000000000000000000000000000010bb8", token("[::1]:3000"));
        assertEquals("fd000000000000000000000000000017ffff", token("[fd00::17]:65535"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.244.0.17", "example.com:3000", "10.244.0.17:", ":3000", "10.244.0.17:70000", "10.244.0.17:abc"})
    void refusesWhatIsNotAnIpAndPort(String address) {
        assertThrows(IllegalArgumentException.class, () -> token(address));
    }
}
