package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetStatus;

/**
 * Writes the status by server-side apply through the framework, which also puts the answer in
 * its cache: the next reconcile compares against the status just written, not an older one.
 * An unchanged status is not written at all.
 */
final class FleetStatusWriter {

    private FleetStatusWriter() {
    }

    static void writeIfChanged(SocketFleet fleet, Context<SocketFleet> context, SocketFleetStatus status) {
        var json = context.getClient().getKubernetesSerialization();
        if (fleet.getStatus() != null && json.asJson(fleet.getStatus()).equals(json.asJson(status))) {
            return;
        }
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(fleet, fresh(fleet, status), context);
    }

    /** Only what the status apply owns: the fleet's name, namespace and status. */
    static SocketFleet fresh(SocketFleet fleet, SocketFleetStatus status) {
        SocketFleet fresh = new SocketFleet();
        fresh.setMetadata(new ObjectMetaBuilder().withName(fleet.getMetadata().getName())
                .withNamespace(fleet.getMetadata().getNamespace()).build());
        fresh.setSpec(null);
        fresh.setStatus(status);
        return fresh;
    }
}
