package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.RedisSentinel;
import io.socketfleet.operator.api.RedisSpec;
import io.socketfleet.operator.api.RedisTls;
import io.socketfleet.operator.api.SecretKeyRef;
import io.socketfleet.operator.api.SocketFleet;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a fleet's nodes find Redis and how they talk to it, as node pod environment (named by the
 * contract's settings table) and the volumes holding TLS files: the managed Redis, or the external
 * one named with its TLS, ACL user and Sentinels. The operator never reads these Secrets or
 * ConfigMaps; the kubelet mounts them, so no further RBAC is needed.
 */
final class RedisConnection {

    static final int PORT = 6379;
    static final String CA_DIR = "/etc/socketfleet/redis/ca";
    static final String CLIENT_CERT_DIR = "/etc/socketfleet/redis/client";
    private static final String CA_VOLUME = "redis-ca";
    private static final String CLIENT_CERT_VOLUME = "redis-client-cert";
    /** Readable by the pod's group (fsGroup) only. */
    private static final int SECRET_FILE_MODE = 0440;

    private RedisConnection() {
    }

    static String url(SocketFleet fleet) {
        RedisSpec redis = fleet.getSpec().getRedis();
        return redis.isManaged()
                ? "redis://" + FleetNames.redisService(fleet) + "." + fleet.getMetadata().getNamespace() + ".svc:" + PORT
                : redis.getExternal().getUrl();
    }

    static EnvVarSource password(SocketFleet fleet) {
        RedisSpec redis = fleet.getSpec().getRedis();
        return redis.isManaged() ? secretKey(FleetNames.redisSecret(fleet), RedisSecretDependent.PASSWORD_KEY)
                : secretKey(redis.getExternal().getPasswordSecret());
    }

    /** The node pod's Redis settings. */
    static List<EnvVar> env(SocketFleet fleet) {
        List<EnvVar> env = new ArrayList<>();
        ExternalRedis external = fleet.getSpec().getRedis().getExternal();
        if (fleet.getSpec().getRedis().isReplicated()) {
            // The master is wherever the managed Sentinels say; they take the same password.
            env.add(value(NodeSetting.REDIS_SENTINEL_MASTER, ReplicatedRedis.MASTER_NAME));
            env.add(value(NodeSetting.REDIS_SENTINEL_ADDRESSES, String.join(",", ReplicatedRedis.sentinelAddresses(fleet))));
            env.add(new EnvVarBuilder().withName(NodeSetting.REDIS_PASSWORD.envName()).withValueFrom(password(fleet)).build());
            env.add(new EnvVarBuilder().withName(NodeSetting.REDIS_SENTINEL_PASSWORD.envName()).withValueFrom(password(fleet)).build());
            return env;
        }
        if (external == null || external.getUrl() != null) {
            env.add(value(NodeSetting.REDIS_URL, url(fleet)));
        }
        env.add(new EnvVarBuilder().withName(NodeSetting.REDIS_PASSWORD.envName()).withValueFrom(password(fleet)).build());
        if (external == null) {
            return env;
        }
        if (external.getUsername() != null) {
            env.add(value(NodeSetting.REDIS_USERNAME, external.getUsername()));
        }
        RedisTls tls = external.getTls();
        if (tls != null) {
            env.add(value(NodeSetting.REDIS_TLS, "true"));
            if (tls.getCaSecret() != null || tls.getCaConfigMap() != null) {
                env.add(value(NodeSetting.REDIS_TLS_CA_FILE, CA_DIR + "/ca.crt"));
            }
            if (tls.getClientCertSecret() != null) {
                env.add(value(NodeSetting.REDIS_TLS_CERT_FILE, CLIENT_CERT_DIR + "/tls.crt"));
                env.add(value(NodeSetting.REDIS_TLS_KEY_FILE, CLIENT_CERT_DIR + "/tls.key"));
            }
            if (!tls.isVerifyHostname()) {
                env.add(value(NodeSetting.REDIS_TLS_VERIFY_HOSTNAME, "false"));
            }
        }
        RedisSentinel sentinel = external.getSentinel();
        if (sentinel != null) {
            env.add(value(NodeSetting.REDIS_SENTINEL_MASTER, sentinel.getMasterName()));
            env.add(value(NodeSetting.REDIS_SENTINEL_ADDRESSES, String.join(",", sentinel.getAddresses())));
            if (sentinel.getPasswordSecret() != null) {
                env.add(new EnvVarBuilder().withName(NodeSetting.REDIS_SENTINEL_PASSWORD.envName())
                        .withValueFrom(secretKey(sentinel.getPasswordSecret())).build());
            }
        }
        if (external.isCluster()) {
            env.add(value(NodeSetting.REDIS_CLUSTER, "true"));
        }
        return env;
    }

    /** The volumes with the CA bundle and client certificate the node pods mount, if any. */
    static List<Volume> volumes(SocketFleet fleet) {
        RedisTls tls = tls(fleet);
        List<Volume> volumes = new ArrayList<>();
        if (tls == null) {
            return volumes;
        }
        if (tls.getCaSecret() != null) {
            volumes.add(new VolumeBuilder().withName(CA_VOLUME).withNewSecret()
                    .withSecretName(tls.getCaSecret().getName()).withDefaultMode(SECRET_FILE_MODE)
                    .addNewItem().withKey(tls.getCaSecret().getKey()).withPath("ca.crt").endItem()
                    .endSecret().build());
        } else if (tls.getCaConfigMap() != null) {
            volumes.add(new VolumeBuilder().withName(CA_VOLUME).withNewConfigMap()
                    .withName(tls.getCaConfigMap().getName()).withDefaultMode(SECRET_FILE_MODE)
                    .addNewItem().withKey(tls.getCaConfigMap().getKey()).withPath("ca.crt").endItem()
                    .endConfigMap().build());
        }
        if (tls.getClientCertSecret() != null) {
            volumes.add(new VolumeBuilder().withName(CLIENT_CERT_VOLUME).withNewSecret()
                    .withSecretName(tls.getClientCertSecret()).withDefaultMode(SECRET_FILE_MODE)
                    .addNewItem().withKey("tls.crt").withPath("tls.crt").endItem()
                    .addNewItem().withKey("tls.key").withPath("tls.key").endItem()
                    .endSecret().build());
        }
        return volumes;
    }

    /** Where the node container mounts them, read-only. */
    static List<VolumeMount> mounts(SocketFleet fleet) {
        List<VolumeMount> mounts = new ArrayList<>();
        for (Volume volume : volumes(fleet)) {
            String path = volume.getName().equals(CA_VOLUME) ? CA_DIR : CLIENT_CERT_DIR;
            mounts.add(new VolumeMountBuilder().withName(volume.getName()).withMountPath(path).withReadOnly(true).build());
        }
        return mounts;
    }

    private static RedisTls tls(SocketFleet fleet) {
        ExternalRedis external = fleet.getSpec().getRedis().getExternal();
        return external == null ? null : external.getTls();
    }

    private static EnvVar value(NodeSetting setting, String value) {
        return new EnvVarBuilder().withName(setting.envName()).withValue(value).build();
    }

    private static EnvVarSource secretKey(SecretKeyRef ref) {
        return secretKey(ref.getName(), ref.getKey());
    }

    private static EnvVarSource secretKey(String name, String key) {
        return new EnvVarSourceBuilder().withNewSecretKeyRef().withName(name).withKey(key).endSecretKeyRef().build();
    }
}
