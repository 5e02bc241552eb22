package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.dependent.FleetLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;

/**
 * Stamps the config hash on the running nginx pods (not on the pod template, which would
 * restart them). The pod update makes the kubelet refresh the ConfigMap volume at once
 * instead of at its next periodic sync, so nginx reloads within seconds.
 */
final class NginxPodStamper {

    static final String CONFIG_HASH_ANNOTATION = "socketfleet.io/config-hash";
    private static final Logger log = LoggerFactory.getLogger(NginxPodStamper.class);

    private NginxPodStamper() {
    }

    static void stamp(KubernetesClient client, SocketFleet fleet, String hash) {
        String namespace = fleet.getMetadata().getNamespace();
        try {
            for (Pod pod : client.pods().inNamespace(namespace)
                    .withLabels(FleetLabels.selector(fleet, FleetLabels.Component.NGINX)).list().getItems()) {
                if (hash.equals(pod.getMetadata().getAnnotations() == null ? null
                        : pod.getMetadata().getAnnotations().get(CONFIG_HASH_ANNOTATION))) {
                    continue;
                }
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                        .edit(p -> {
                            if (p.getMetadata().getAnnotations() == null) {
                                p.getMetadata().setAnnotations(new HashMap<>());
                            }
                            p.getMetadata().getAnnotations().put(CONFIG_HASH_ANNOTATION, hash);
                            return p;
                        });
            }
        } catch (KubernetesClientException e) {
            // The volume still updates on the kubelet's own schedule; only the shortcut is lost.
            log.warn("could not stamp nginx pods of {}: {}", fleet.getMetadata().getName(), e.getMessage());
        }
    }
}
