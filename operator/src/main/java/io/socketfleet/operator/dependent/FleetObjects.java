package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.socketfleet.operator.api.SocketFleet;

import java.util.Map;

/** The parts every child object of a fleet shares: its metadata, and the shape of its Deployments. */
final class FleetObjects {

    private FleetObjects() {
    }

    /** Name, the fleet's namespace, and the fleet's labels for this component. */
    static ObjectMeta metadata(SocketFleet fleet, String name, FleetLabels.Component component) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(fleet.getMetadata().getNamespace())
                .withLabels(FleetLabels.of(fleet, component))
                .build();
    }

    /** A Deployment of this component's pods: selector and pod labels filled in, the pod spec given. */
    static DeploymentBuilder deployment(SocketFleet fleet, String name, FleetLabels.Component component, int replicas,
                                        PodSpec pod) {
        return deployment(fleet, name, component, replicas, Map.of(), pod);
    }

    /** The same, with annotations on the pod template (a change of one rolls the pods). */
    static DeploymentBuilder deployment(SocketFleet fleet, String name, FleetLabels.Component component, int replicas,
                                        Map<String, String> podAnnotations, PodSpec pod) {
        return new DeploymentBuilder()
                .withMetadata(metadata(fleet, name, component))
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(FleetLabels.selector(fleet, component)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(FleetLabels.of(fleet, component))
                            .withAnnotations(podAnnotations.isEmpty() ? null : podAnnotations).endMetadata()
                        .withSpec(pod)
                    .endTemplate()
                .endSpec();
    }

}
