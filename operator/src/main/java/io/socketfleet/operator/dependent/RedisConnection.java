package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.socketfleet.operator.api.RedisSpec;
import io.socketfleet.operator.api.SocketFleet;

/** Where a fleet's nodes find Redis and its password: the managed one, or the external one named. */
final class RedisConnection {

    static final int PORT = 6379;

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
        String secret = redis.isManaged() ? FleetNames.redisSecret(fleet) : redis.getExternal().getPasswordSecret().getName();
        String key = redis.isManaged() ? RedisSecretDependent.PASSWORD_KEY : redis.getExternal().getPasswordSecret().getKey();
        return new EnvVarSourceBuilder().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().build();
    }
}
