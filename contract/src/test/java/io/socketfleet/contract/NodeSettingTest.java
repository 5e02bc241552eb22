package io.socketfleet.contract;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSettingTest {

    @Test
    void oneNameThreeSpellings() {
        assertEquals("PING_INTERVAL_MS", NodeSetting.PING_INTERVAL_MS.envName());
        assertEquals("--ping-interval-ms", NodeSetting.PING_INTERVAL_MS.flag());
        assertEquals("pingIntervalMs", NodeSetting.PING_INTERVAL_MS.fieldName());
        assertEquals("--port", NodeSetting.PORT.flag());
        assertEquals("port", NodeSetting.PORT.fieldName());
    }

    @Test
    void everyDefaultPassesItsOwnCheckAndEverySettingSaysWhatItIs() {
        for (NodeSetting setting : NodeSetting.values()) {
            if (setting.defaultValue() != null) {
                assertNull(setting.problem(setting.defaultValue()), setting.name());
            }
            assertTrue(setting.description().endsWith("."), setting.name());
            assertTrue(setting.defaultDescription() != null, setting.name() + " says what happens without a value");
        }
    }

    @Test
    void aChoiceDefaultsToItsFirstValue() {
        assertEquals("classic", NodeSetting.REDIS_PUBSUB.defaultValue());
        assertEquals(List.of("dynamic", "static", "dynamic-private"), NodeSetting.REDIS_SUBSCRIPTION_MODE.choices());
        assertNull(NodeSetting.REDIS_SUBSCRIPTION_MODE.problem("dynamic-private"));
        assertEquals(List.of(), NodeSetting.PORT.choices());
    }

    @Test
    void theFleetSpecCarriesThePerFleetTuning() {
        assertEquals(List.of(NodeSetting.PORT, NodeSetting.PING_INTERVAL_MS, NodeSetting.PING_TIMEOUT_MS,
                NodeSetting.DRAIN_SECONDS, NodeSetting.MAX_CONNECTIONS, NodeSetting.MAX_HANDSHAKES_PER_ADDRESS,
                NodeSetting.TRUST_PROXY_HEADERS, NodeSetting.HTTP_COMPRESSION_THRESHOLD, NodeSetting.PER_MESSAGE_DEFLATE,
                NodeSetting.REBALANCE_SESSIONS_PER_SECOND, NodeSetting.REBALANCE_TOLERANCE_PERCENT,
                NodeSetting.MAX_DISCONNECTION_DURATION_MS),
                NodeSetting.fleetSettings());
    }

    @Test
    void badValuesAreNamed() {
        Map<NodeSetting, String> bad = Map.of(
                NodeSetting.PORT, "80",
                NodeSetting.PING_TIMEOUT_MS, "soon",
                NodeSetting.BIND, "localhost",
                NodeSetting.ADVERTISE_ADDRESS, "node-1:3000",
                NodeSetting.REDIS_URL, "http://redis:6379",
                NodeSetting.DEMO, "yes",
                NodeSetting.REDIS_PUBSUB, "Sharded",
                NodeSetting.NODE_NAME, " ");
        Map<NodeSetting, String> expected = Map.of(
                NodeSetting.PORT, "must be between 1024 and 65535, got 80",
                NodeSetting.PING_TIMEOUT_MS, "must be a whole number, got 'soon'",
                NodeSetting.BIND, "must be an IP address literal, got 'localhost'",
                NodeSetting.ADVERTISE_ADDRESS, "must be IP:PORT: 'node-1' is not an IP literal",
                NodeSetting.REDIS_URL, "must be a redis:// or rediss:// URL with a host, got 'http://redis:6379'",
                NodeSetting.DEMO, "must be true or false, got 'yes'",
                NodeSetting.REDIS_PUBSUB, "must be one of classic, sharded, got 'Sharded'",
                NodeSetting.NODE_NAME, "must not be blank");
        bad.forEach((setting, text) -> assertEquals(expected.get(setting), setting.problem(text), setting.name()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> NodeSettings.none().with(NodeSetting.PORT, "80"));
        assertEquals("PORT must be between 1024 and 65535, got 80", refused.getMessage());
    }

    @Test
    void valuesTravelAsFlagsOrEnvironmentInTableOrder() {
        NodeSettings settings = NodeSettings.none().with(NodeSetting.DRAIN_SECONDS, "3").with(NodeSetting.PORT, "4000");
        assertEquals(List.of("--port=4000", "--drain-seconds=3"), settings.flags());
        assertEquals(List.of("PORT", "DRAIN_SECONDS"), List.copyOf(settings.environment().keySet()));
        assertEquals(4000, settings.intNumber(NodeSetting.PORT));
        assertEquals(25000, settings.number(NodeSetting.PING_INTERVAL_MS), "unset: the default");
    }

    @Test
    void sameSettingsIsEquality() {
        NodeSettings a = NodeSettings.none().with(NodeSetting.PORT, "4000").with(NodeSetting.DRAIN_SECONDS, "3");
        NodeSettings b = NodeSettings.none().with(NodeSetting.DRAIN_SECONDS, "3").with(NodeSetting.PORT, "4000");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.with(NodeSetting.DRAIN_SECONDS, "4"));
    }

    @Test
    void aLogLineHidesPasswords() {
        NodeSettings settings = NodeSettings.none()
                .with(NodeSetting.REDIS_URL, "redis://:pw@redis:6379")
                .with(NodeSetting.REDIS_PASSWORD, "s3cret");
        String line = settings.toString();
        assertEquals("--redis-url=redis://(hidden)@redis:6379 --redis-password=(hidden)", line);
    }
}
