package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.SocketFleet;

import java.util.List;

/**
 * Only the fleet's own socket-nodes may reach its Redis: Redis pub/sub is unauthenticated per
 * message, so anyone who could publish could inject packets into every client. A replicated
 * Redis's pods also reach each other (replication, the Sentinels watching the servers and each
 * other), and the nodes reach the Sentinels.
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
        List<Integer> ports = fleet.getSpec().getRedis().isReplicated()
                ? List.of(RedisConnection.PORT, ReplicatedRedis.SENTINEL_PORT) : List.of(RedisConnection.PORT);
        List<FleetLabels.Component> from = fleet.getSpec().getRedis().isReplicated()
                ? List.of(FleetLabels.Component.NODE, FleetLabels.Component.REDIS) : List.of(FleetLabels.Component.NODE);
        NetworkPolicyIngressRuleBuilder ingress = new NetworkPolicyIngressRuleBuilder();
        for (FleetLabels.Component component : from) {
            ingress.addNewFrom().withNewPodSelector().withMatchLabels(FleetLabels.selector(fleet, component)).endPodSelector().endFrom();
        }
        for (int port : ports) {
            ingress.addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort();
        }
        return new NetworkPolicyBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisNetworkPolicy(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.REDIS)).endPodSelector()
                    .withPolicyTypes("Ingress")
                    .withIngress(ingress.build())
                .endSpec()
                .build();
    }
}
