package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.socketfleet.operator.api.SocketFleet;

/** The managed Redis: one pod, password required, no persistence (it only relays pub/sub). */
public class RedisDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, SocketFleet> {

    /** Writes the password into a config file so it never shows in the process list. */
    static final String START = "printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > /data/redis.conf"
            + " && exec redis-server /data/redis.conf --port 6379 --save '' --appendonly no --protected-mode yes";

    public RedisDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected Deployment desired(SocketFleet fleet, Context<SocketFleet> context) {
        var labels = FleetLabels.of(fleet, FleetLabels.Component.REDIS);
        var password = RedisConnection.password(fleet);
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(FleetNames.redis(fleet))
                    .withNamespace(fleet.getMetadata().getNamespace())
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.REDIS)).endSelector()
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
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
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
