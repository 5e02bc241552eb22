package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.socketfleet.operator.api.SocketFleet;

/**
 * A child object of a fleet, found by its name. Naming it directly spares the framework from
 * building the whole desired object only to learn its name (which would, for instance, render
 * the nginx config or draw a new Redis password once more).
 */
abstract class FleetDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, SocketFleet> {

    FleetDependent(Class<R> type) {
        super(type);
    }

    /** The child's name for this fleet. */
    abstract String childName(SocketFleet fleet);

    @Override
    protected ResourceID targetSecondaryResourceID(SocketFleet fleet, Context<SocketFleet> context) {
        return new ResourceID(childName(fleet), fleet.getMetadata().getNamespace());
    }
}
