package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

import java.util.List;
import java.util.Map;

/** The managed Redis when it only relays pub/sub: one pod, password required, no persistence. */
public class RedisDeploymentDependent extends FleetDependent<Deployment> {

    static final String START = RedisPod.start("/data", RedisPod.EPHEMERAL_OPTIONS);

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
        var pod = RedisPod.spec(fleet, START, List.of(Hardening.scratchVolume("data")), Map.of("data", "/data"));
        return FleetObjects.deployment(fleet, FleetNames.redisDeployment(fleet), FleetLabels.Component.REDIS, 1,
                        RedisPassword.podAnnotations(fleet, context), pod)
                .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec()
                .build();
    }
}
