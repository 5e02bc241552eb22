package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

/** The managed Redis's in-cluster address (reachable only by the fleet's nodes: see the NetworkPolicy). */
public class RedisServiceDependent extends FleetDependent<Service> {

    public RedisServiceDependent() {
        super(Service.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisService(fleet);
    }

    @Override
    String exactSection() {
        return "/spec";
    }

    @Override
    protected Service desired(SocketFleet fleet, Context<SocketFleet> context) {
        return new ServiceBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisService(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(FleetLabels.selector(fleet, FleetLabels.Component.REDIS))
                    .addNewPort().withName("redis").withPort(RedisConnection.PORT)
                        .withTargetPort(new IntOrString(RedisConnection.PORT)).endPort()
                .endSpec()
                .build();
    }
}
