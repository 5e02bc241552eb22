package io.socketfleet.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.socketfleet.operator.api.SocketFleet;

/** True when the operator runs Redis and Redis holds the fleet's state: the StatefulSet on a volume. */
public class StatefulRedisCondition implements Condition<Object, SocketFleet> {

    @Override
    public boolean isMet(DependentResource<Object, SocketFleet> dependent, SocketFleet fleet, Context<SocketFleet> context) {
        return fleet.getSpec().getRedis().isManagedWithState();
    }
}
