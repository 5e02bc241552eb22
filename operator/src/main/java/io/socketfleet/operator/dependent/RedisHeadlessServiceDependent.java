package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The managed Redis StatefulSet's governing Service: headless, so each pod gets a stable DNS name
 * that a replicated Redis's replicas, Sentinels and the nodes use. Pods are published before they
 * are ready, because a starting pod must be reachable by name to be found and to sync.
 */
public class RedisHeadlessServiceDependent extends FleetDependent<Service> {

    public RedisHeadlessServiceDependent() {
        super(Service.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisHeadlessService(fleet);
    }

    @Override
    String exactSection() {
        return "/spec";
    }

    @Override
    protected Service desired(SocketFleet fleet, Context<SocketFleet> context) {
        List<ServicePort> ports = new ArrayList<>(List.of(RedisServiceDependent.redisPort()));
        if (fleet.getSpec().getRedis().isReplicated()) {
            ports.add(RedisServiceDependent.sentinelPort());
        }
        return new ServiceBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisHeadlessService(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withClusterIP("None")
                    .withPublishNotReadyAddresses(true)
                    .withSelector(FleetLabels.selector(fleet, FleetLabels.Component.REDIS))
                    .withPorts(ports)
                .endSpec()
                .build();
    }
}
