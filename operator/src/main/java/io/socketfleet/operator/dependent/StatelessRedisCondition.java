package io.socketfleet.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.socketfleet.operator.api.SocketFleet;

/** True when the operator runs Redis and it only relays pub/sub: the light Deployment. */
public class StatelessRedisCondition implements Condition<Object, SocketFleet> {

    @Override
    public boolean isMet(DependentResource<Object, SocketFleet> dependent, SocketFleet fleet, Context<SocketFleet> context) {
        return fleet.getSpec().getRedis().isManaged() && !fleet.getSpec().getRedis().isManagedWithState();
    }
}
