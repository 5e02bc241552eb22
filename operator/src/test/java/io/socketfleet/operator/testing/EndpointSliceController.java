package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Plays the EndpointSlice controller's labelling: a slice carries its Service's labels, plus
 * the Service's name and the controller's own mark.
 */
public final class EndpointSliceController {

    private EndpointSliceController() {
    }

    /** Publishes one slice of ready, serving endpoints for the service's port 3000, as the controller would. */
    public static void publishReady(KubernetesClient client, String namespace, String service, String... ips) {
        var slice = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder().withNewMetadata()
                .withName(service + "-1").withNamespace(namespace).withLabels(labels(client, namespace, service)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(3000).endPort();
        for (String ip : ips) {
            slice.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).withServing(true).endConditions().endEndpoint();
        }
        client.resource(slice.build()).fieldManager("endpointslice-controller").forceConflicts().serverSideApply();
    }

    public static Map<String, String> labels(KubernetesClient client, String namespace, String service) {
        Service owner = client.services().inNamespace(namespace).withName(service).get();
        if (owner == null) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.services().inNamespace(namespace).withName(service).get() != null);
            owner = client.services().inNamespace(namespace).withName(service).get();
        }
        Map<String, String> labels = new LinkedHashMap<>(owner.getMetadata().getLabels() == null ? Map.of()
                : owner.getMetadata().getLabels());
        labels.put("kubernetes.io/service-name", service);
        labels.put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        return labels;
    }
}
