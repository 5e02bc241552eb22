package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

/**
 * The managed Redis's in-cluster address (reachable only by the fleet's nodes: see the
 * NetworkPolicy). A replicated Redis offers its Sentinels here instead: behind one address a
 * client could land on a read-only replica, so the way to the master is to ask a Sentinel.
 */
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
                    .withPorts(fleet.getSpec().getRedis().isReplicated() ? sentinelPort() : redisPort())
                .endSpec()
                .build();
    }

    static ServicePort redisPort() {
        return new ServicePortBuilder().withName("redis").withPort(RedisConnection.PORT)
                .withTargetPort(new IntOrString(RedisConnection.PORT)).build();
    }

    static ServicePort sentinelPort() {
        return new ServicePortBuilder().withName("sentinel").withPort(ReplicatedRedis.SENTINEL_PORT)
                .withTargetPort(new IntOrString(ReplicatedRedis.SENTINEL_PORT)).build();
    }
}
