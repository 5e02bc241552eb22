package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

/** The fleet's entry point: clients connect here. */
public class NginxServiceDependent extends FleetDependent<Service> {

    public NginxServiceDependent() {
        super(Service.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nginxService(fleet);
    }

    @Override
    String exactSection() {
        return "/spec";
    }

    @Override
    protected Service desired(SocketFleet fleet, Context<SocketFleet> context) {
        int port = fleet.getSpec().getNginx().getPort();
        return new ServiceBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.nginxService(fleet), FleetLabels.Component.NGINX))
                .withNewSpec()
                    .withType(fleet.getSpec().getNginx().getServiceType().name())
                    .withSelector(FleetLabels.selector(fleet, FleetLabels.Component.NGINX))
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString("http")).endPort()
                .endSpec()
                .build();
    }
}
