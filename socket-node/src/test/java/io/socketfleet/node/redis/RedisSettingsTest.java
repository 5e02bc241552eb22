package io.socketfleet.node.redis;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisSettingsTest {

    private static final RedisSettings.Sentinel SENTINEL =
            new RedisSettings.Sentinel("mymaster", List.of("10.0.0.1:26379", "sentinel-2.redis:26379"), null);

    @Test
    void tlsComesFromTheSchemeOrTheSwitch() {
        assertTrue(RedisSettings.of(URI.create("rediss://redis:6380"), null).usesTls());
        assertFalse(RedisSettings.of(URI.create("redis://redis:6379"), null).usesTls());
        assertTrue(RedisSettings.of(URI.create("redis://redis:6379"), null)
                .withTls(new RedisSettings.Tls(true, null, null, null, true)).usesTls());
        assertTrue(new RedisSettings(null, null, null, new RedisSettings.Tls(true, null, null, null, true), SENTINEL, false)
                .usesTls());
    }

    @Test
    void contradictionsAreRefusedSayingWhatIsWrong() {
        record Case(Runnable build, String message) {
        }
        RedisSettings.Tls none = RedisSettings.Tls.NONE;
        URI url = URI.create("redis://redis:6379");
        List<Case> cases = List.of(
                new Case(() -> new RedisSettings(null, null, null, none, null, false), "exactly one of a URL and a Sentinel"),
                new Case(() -> new RedisSettings(url, null, null, none, SENTINEL, false), "exactly one of a URL and a Sentinel"),
                new Case(() -> new RedisSettings(URI.create("http://redis:6379"), null, null, none, null, false), "redis:// or rediss://"),
                new Case(() -> new RedisSettings(null, null, null, none, SENTINEL, true), "not reached through Sentinel"),
                new Case(() -> new RedisSettings.Tls(true, null, Path.of("client.crt"), null, true), "needs its key file"),
                new Case(() -> new RedisSettings.Tls(true, null, null, Path.of("client.key"), true), "needs its key file"),
                new Case(() -> new RedisSettings.Sentinel(" ", List.of("a:1"), null), "master's name"),
                new Case(() -> new RedisSettings.Sentinel("m", List.of(), null), "at least one Sentinel"),
                new Case(() -> new RedisSettings.Sentinel("m", List.of("sentinel-without-port"), null), "host:port"),
                new Case(() -> new RedisSettings.Sentinel("m", List.of("sentinel:port"), null), "host:port"));
        for (Case c : cases) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, c.build::run, c.message);
            assertTrue(refused.getMessage().contains(c.message), refused.getMessage());
        }
    }

    @Test
    void logsNameWhereRedisIsWithoutCredentials() {
        assertEquals("Redis at redis:6380 over TLS",
                RedisConnections.open(RedisSettings.of(URI.create("rediss://fleet:pw@redis:6380"), null)).description());
        assertEquals("master 'mymaster' via Sentinels 10.0.0.1:26379,sentinel-2.redis:26379",
                RedisConnections.open(new RedisSettings(null, null, "pw", RedisSettings.Tls.NONE, SENTINEL, false)).description());
        assertEquals("Redis Cluster via redis-0:6379",
                RedisConnections.open(new RedisSettings(URI.create("redis://redis-0:6379"), null, null,
                        RedisSettings.Tls.NONE, null, true)).description());
    }
}
