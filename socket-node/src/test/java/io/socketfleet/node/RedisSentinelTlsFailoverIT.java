package io.socketfleet.node;

import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.testing.SentinelGroup;
import io.socketfleet.node.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;

/**
 * TLS and Sentinel together: the master, its replica and three Sentinels listen on
 * {@code tls-port} only (certificates openssl made for this run), replicate and gossip over TLS,
 * and the nodes ask the Sentinels over TLS, check every certificate against the CA bundle and the
 * host dialled, and follow the failovers of {@link RedisSentinelFailoverIT} to the new master over TLS.
 */
class RedisSentinelTlsFailoverIT extends RedisSentinelFailoverIT {

    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate();
    }

    @Override
    SentinelGroup group() throws Exception {
        return new SentinelGroup(certs);
    }

    @Override
    RedisSettings.Tls tls() {
        return new RedisSettings.Tls(true, certs.ca(), null, null, true);
    }
}
