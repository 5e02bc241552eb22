package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.SocketFleet;

/**
 * Only the fleet's own socket-nodes may reach its Redis: Redis pub/sub is unauthenticated per
 * message, so anyone who could publish could inject packets into every client.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class RedisNetworkPolicyDependent extends FleetDependent<NetworkPolicy> {

    public RedisNetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisNetworkPolicy(fleet);
    }

    @Override
    String exactSection() {
        return "/spec";
    }

    @Override
    boolean exactSectionClosed() {
        return true;
    }

    @Override
    protected NetworkPolicy desired(SocketFleet fleet, Context<SocketFleet> context) {
        return new NetworkPolicyBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisNetworkPolicy(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.REDIS)).endPodSelector()
                    .withPolicyTypes("Ingress")
                    .addNewIngress()
                        .addNewFrom().withNewPodSelector()
                            .withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.NODE)).endPodSelector().endFrom()
                        .addNewPort().withProtocol("TCP").withPort(new IntOrString(RedisConnection.PORT)).endPort()
                    .endIngress()
                .endSpec()
                .build();
    }
}
