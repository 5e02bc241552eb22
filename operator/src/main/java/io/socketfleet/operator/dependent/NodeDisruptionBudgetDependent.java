package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.SocketFleet;

/**
 * Voluntary evictions (a node drain, a cluster upgrade) take the fleet's socket-nodes one at a
 * time: each evicted node drains its clients over {@code drainSeconds} to the others, and a second
 * one waits until a replacement is ready, so the clients of two nodes never reconnect at once.
 * {@code maxUnavailable} rather than {@code minAvailable}, so a fleet of one can still be drained
 * off a machine, and a scale of the fleet never has to touch the budget.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class NodeDisruptionBudgetDependent extends FleetDependent<PodDisruptionBudget> {

    public NodeDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nodeDisruptionBudget(fleet);
    }

    @Override
    protected PodDisruptionBudget desired(SocketFleet fleet, Context<SocketFleet> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.nodeDisruptionBudget(fleet), FleetLabels.Component.NODE))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.NODE)).endSelector()
                .endSpec()
                .build();
    }
}
