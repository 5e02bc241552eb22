package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.RedisSentinel;
import io.socketfleet.operator.api.RedisTls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a local node reaches Redis, as the operator tells a node pod: the redis-server local mode
 * started, or {@code spec.redis.external} with its URL or Sentinels, ACL user, TLS and Cluster.
 * Secrets and ConfigMaps come from the secrets directory laid out as the kubelet mounts them
 * ({@link LocalSecrets}): passwords go into the node's environment (never its command line), and
 * the TLS files are handed to the node where they lie, so replacing them there rotates them as a
 * re-mounted Secret does.
 *
 * @param flags       node settings given as flags
 * @param environment secret node settings, as environment variables
 */
record LocalRedisConnection(Map<NodeSetting, String> flags, Map<String, String> environment) {

    /** The redis-server local mode runs. */
    static LocalRedisConnection managed(LocalRedis redis) {
        return new LocalRedisConnection(Map.of(NodeSetting.REDIS_URL, redis.url()),
                Map.of(NodeSetting.REDIS_PASSWORD.envName(), redis.password()));
    }

    /** The external Redis, its secrets read now (a node start reads them, as a pod start does). */
    static LocalRedisConnection external(ExternalRedis external, LocalSecrets secrets) throws LocalFleetException {
        String field = "spec.redis.external";
        Map<NodeSetting, String> flags = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        if (external.getUrl() != null) {
            flags.put(NodeSetting.REDIS_URL, external.getUrl());
        }
        env.put(NodeSetting.REDIS_PASSWORD.envName(), secrets.value(external.getPasswordSecret(), field + ".passwordSecret"));
        if (external.getUsername() != null) {
            flags.put(NodeSetting.REDIS_USERNAME, external.getUsername());
        }
        RedisTls tls = external.getTls();
        if (tls != null) {
            flags.put(NodeSetting.REDIS_TLS, "true");
            if (tls.getCaSecret() != null) {
                flags.put(NodeSetting.REDIS_TLS_CA_FILE, existing(secrets.file(tls.getCaSecret().getName(),
                        tls.getCaSecret().getKey(), field + ".tls.caSecret"), field + ".tls.caSecret"));
            } else if (tls.getCaConfigMap() != null) {
                flags.put(NodeSetting.REDIS_TLS_CA_FILE, existing(secrets.file(tls.getCaConfigMap().getName(),
                        tls.getCaConfigMap().getKey(), field + ".tls.caConfigMap"), field + ".tls.caConfigMap"));
            }
            if (tls.getClientCertSecret() != null) {
                String certField = field + ".tls.clientCertSecret";
                flags.put(NodeSetting.REDIS_TLS_CERT_FILE, existing(secrets.file(tls.getClientCertSecret(), "tls.crt", certField), certField));
                flags.put(NodeSetting.REDIS_TLS_KEY_FILE, existing(secrets.file(tls.getClientCertSecret(), "tls.key", certField), certField));
            }
            if (!tls.isVerifyHostname()) {
                flags.put(NodeSetting.REDIS_TLS_VERIFY_HOSTNAME, "false");
            }
        }
        RedisSentinel sentinel = external.getSentinel();
        if (sentinel != null) {
            flags.put(NodeSetting.REDIS_SENTINEL_MASTER, sentinel.getMasterName());
            flags.put(NodeSetting.REDIS_SENTINEL_ADDRESSES, String.join(",", sentinel.getAddresses()));
            if (sentinel.getPasswordSecret() != null) {
                env.put(NodeSetting.REDIS_SENTINEL_PASSWORD.envName(),
                        secrets.value(sentinel.getPasswordSecret(), field + ".sentinel.passwordSecret"));
            }
        }
        if (external.isCluster()) {
            flags.put(NodeSetting.REDIS_CLUSTER, "true");
        }
        return new LocalRedisConnection(Map.copyOf(flags), Map.copyOf(env));
    }

    /** The node's settings with these added. */
    NodeSettings applyTo(NodeSettings settings) {
        NodeSettings with = settings;
        for (Map.Entry<NodeSetting, String> flag : flags.entrySet()) {
            with = with.with(flag.getKey(), flag.getValue());
        }
        return with;
    }

    private static String existing(Path file, String field) throws LocalFleetException {
        if (!Files.isReadable(file)) {
            throw new LocalFleetException(field + ": local mode hands the node " + file + ", which cannot be read; put the file there");
        }
        return file.toString();
    }
}
