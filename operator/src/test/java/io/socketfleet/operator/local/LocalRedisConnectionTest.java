package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.operator.api.ConfigMapKeyRef;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.RedisSentinel;
import io.socketfleet.operator.api.RedisTls;
import io.socketfleet.operator.api.SecretKeyRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec.redis.external as local mode hands it to a node: flags, secret environment, files from the secrets directory. */
class LocalRedisConnectionTest {

    @TempDir
    Path secrets;

    private static SecretKeyRef secret(String name, String key) {
        SecretKeyRef ref = new SecretKeyRef();
        ref.setName(name);
        ref.setKey(key);
        return ref;
    }

    private void write(String path, String text) throws Exception {
        Files.createDirectories(secrets.resolve(path).getParent());
        Files.writeString(secrets.resolve(path), text);
    }

    @Test
    void sentinelsWithTheirPasswordACaFromAConfigMapAndNoHostnameCheck() throws Exception {
        write("redis-auth/password", "redis-pw\n");
        write("sentinel-auth/password", "  sentinel-pw\n");
        write("shared-ca/bundle.pem", "-----BEGIN CERTIFICATE-----\n");
        ExternalRedis external = new ExternalRedis();
        external.setPasswordSecret(secret("redis-auth", "password"));
        RedisSentinel sentinel = new RedisSentinel();
        sentinel.setMasterName("mymaster");
        sentinel.setAddresses(List.of("10.0.0.1:26379", "sentinel-b:26379"));
        sentinel.setPasswordSecret(secret("sentinel-auth", "password"));
        external.setSentinel(sentinel);
        RedisTls tls = new RedisTls();
        ConfigMapKeyRef ca = new ConfigMapKeyRef();
        ca.setName("shared-ca");
        ca.setKey("bundle.pem");
        tls.setCaConfigMap(ca);
        tls.setVerifyHostname(false);
        external.setTls(tls);

        LocalRedisConnection connection = LocalRedisConnection.external(external, new LocalSecrets(secrets));
        assertEquals(Map.of(NodeSetting.REDIS_SENTINEL_MASTER, "mymaster",
                NodeSetting.REDIS_SENTINEL_ADDRESSES, "10.0.0.1:26379,sentinel-b:26379",
                NodeSetting.REDIS_TLS, "true",
                NodeSetting.REDIS_TLS_CA_FILE, secrets.resolve("shared-ca/bundle.pem").toAbsolutePath().toString(),
                NodeSetting.REDIS_TLS_VERIFY_HOSTNAME, "false"), connection.flags());
        assertEquals(Map.of("REDIS_PASSWORD", "redis-pw", "REDIS_SENTINEL_PASSWORD", "sentinel-pw"), connection.environment(),
                "passwords in the environment, never flags");
    }

    @Test
    void aClusterNodeByUrl() throws Exception {
        write("redis-auth/password", "pw");
        ExternalRedis external = new ExternalRedis();
        external.setUrl("redis://10.0.0.5:7000");
        external.setCluster(true);
        external.setPasswordSecret(secret("redis-auth", "password"));

        LocalRedisConnection connection = LocalRedisConnection.external(external, new LocalSecrets(secrets));
        assertEquals(Map.of(NodeSetting.REDIS_URL, "redis://10.0.0.5:7000", NodeSetting.REDIS_CLUSTER, "true"), connection.flags());
    }

    @Test
    void aMissingClientCertificateOrAPathOutOfTheDirectoryIsRefusedNamingIt() throws Exception {
        write("redis-auth/password", "pw");
        ExternalRedis external = new ExternalRedis();
        external.setUrl("rediss://redis.example:6380");
        external.setPasswordSecret(secret("redis-auth", "password"));
        RedisTls tls = new RedisTls();
        tls.setClientCertSecret("fleet-client");
        external.setTls(tls);
        LocalFleetException missing = assertThrows(LocalFleetException.class,
                () -> LocalRedisConnection.external(external, new LocalSecrets(secrets)));
        assertTrue(missing.getMessage().contains("spec.redis.external.tls.clientCertSecret")
                && missing.getMessage().contains(secrets.resolve("fleet-client/tls.crt").toString()), missing.getMessage());

        external.setTls(null);
        external.setPasswordSecret(secret("..", "etc-passwd"));
        LocalFleetException outside = assertThrows(LocalFleetException.class,
                () -> LocalRedisConnection.external(external, new LocalSecrets(secrets)));
        assertTrue(outside.getMessage().contains("outside"), outside.getMessage());
    }
}
