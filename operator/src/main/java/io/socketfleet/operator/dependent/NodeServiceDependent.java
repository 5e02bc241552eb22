package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

/**
 * Headless Service over the socket-node pods: its EndpointSlices are how the operator learns
 * which nodes are ready, and so what goes into the nginx upstream.
 */
public class NodeServiceDependent extends FleetDependent<Service> {

    public NodeServiceDependent() {
        super(Service.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nodeService(fleet);
    }

    @Override
    String exactSection() {
        return "/spec";
    }

    @Override
    protected Service desired(SocketFleet fleet, Context<SocketFleet> context) {
        int port = fleet.getSpec().getNode().getPort();
        return new ServiceBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.nodeService(fleet), FleetLabels.Component.NODE))
                .withNewSpec()
                    .withClusterIP("None")
                    .withPublishNotReadyAddresses(false)
                    .withSelector(FleetLabels.selector(fleet, FleetLabels.Component.NODE))
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(port)).endPort()
                .endSpec()
                .build();
    }
}
