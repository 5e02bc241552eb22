package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

import java.util.Map;

/** The managed Redis: one pod, password required, no persistence (it only relays pub/sub). */
public class RedisDeploymentDependent extends FleetDependent<Deployment> {

    /** Writes the password into a config file so it never shows in the process list. */
    static final String START = "printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > /data/redis.conf"
            + " && exec redis-server /data/redis.conf --port 6379 --save '' --appendonly no --protected-mode yes";

    public RedisDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisDeployment(fleet);
    }

    @Override
    String exactSection() {
        return "/spec/template/spec";
    }

    @Override
    protected Deployment desired(SocketFleet fleet, Context<SocketFleet> context) {
        var password = RedisConnection.password(fleet);
        PodSpec pod = new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(Hardening.pod(999, 1000))
                .addToVolumes(Hardening.scratchVolume("data"))
                .addToContainers(new ContainerBuilder()
                    .withName("redis")
                    .withImage(fleet.getSpec().getRedis().getImage())
                    .withCommand("sh", "-c", START)
                    .addNewEnv().withName("REDIS_PASSWORD").withValueFrom(password).endEnv()
                    .addNewEnv().withName("REDISCLI_AUTH").withValueFrom(password).endEnv()
                    .addNewPort().withName("redis").withContainerPort(RedisConnection.PORT).endPort()
                    .withNewReadinessProbe()
                        .withNewExec().withCommand("redis-cli", "ping").endExec()
                        .withPeriodSeconds(5)
                    .endReadinessProbe()
                    .withNewLivenessProbe()
                        .withNewTcpSocket().withPort(new IntOrString(RedisConnection.PORT)).endTcpSocket()
                        .withInitialDelaySeconds(10)
                        .withPeriodSeconds(10)
                    .endLivenessProbe()
                    .withSecurityContext(Hardening.container())
                    .withResources(Hardening.resources(fleet.getSpec().getRedis().getResources(), "50m", "64Mi", "256Mi"))
                    .addToVolumeMounts(Hardening.scratchMount("data", "/data"))
                    .build())
                .build();
        return FleetObjects.deployment(fleet, FleetNames.redisDeployment(fleet), FleetLabels.Component.REDIS, 1,
                        passwordHash(fleet, context), pod)
                .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec()
                .build();
    }

    /** Which Redis password the pods start with: a new one rolls them. */
    private static Map<String, String> passwordHash(SocketFleet fleet, Context<SocketFleet> context) {
        return RedisPassword.hash(fleet, context).map(h -> Map.of(RedisPassword.HASH_ANNOTATION, h)).orElse(Map.of());
    }
}
