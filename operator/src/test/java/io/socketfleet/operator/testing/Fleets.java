package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetSpec;

/** SocketFleet objects for tests. */
public final class Fleets {

    private Fleets() {
    }

    public static SocketFleet fleet(String name, String namespace, int replicas) {
        SocketFleet fleet = new SocketFleet();
        fleet.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        SocketFleetSpec spec = new SocketFleetSpec();
        spec.setReplicas(replicas);
        fleet.setSpec(spec);
        return fleet;
    }
}
