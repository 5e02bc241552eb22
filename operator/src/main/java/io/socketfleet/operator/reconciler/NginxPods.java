package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.dependent.FleetLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's running nginx pods: stamps the config hash on them (not on the pod template, which
 * would restart them) — the pod update makes the kubelet refresh the ConfigMap volume at once
 * instead of at its next periodic sync — and asks each ready one which config it serves. A stamp
 * that failed is made again at the next reconcile, until the pod carries it.
 */
final class NginxPods {

    static final String CONFIG_HASH_ANNOTATION = "socketfleet.io/config-hash";
    private static final Logger log = LoggerFactory.getLogger(NginxPods.class);

    /** One ready nginx pod and the config id it answered with (null: no answer). */
    record Answer(String pod, String configId) {
    }

    private NginxPods() {
    }

    static List<Pod> list(KubernetesClient client, SocketFleet fleet) {
        try {
            return client.pods().inNamespace(fleet.getMetadata().getNamespace())
                    .withLabels(FleetLabels.selector(fleet, FleetLabels.Component.NGINX)).list().getItems();
        } catch (KubernetesClientException e) {
            log.warn("could not list the nginx pods of {}: {}", fleet.getMetadata().getName(), e.getMessage());
            return List.of();
        }
    }

    static void stamp(KubernetesClient client, SocketFleet fleet, List<Pod> pods, String hash) {
        for (Pod pod : pods) {
            var annotations = pod.getMetadata().getAnnotations();
            if (hash.equals(annotations == null ? null : annotations.get(CONFIG_HASH_ANNOTATION))) {
                continue;
            }
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .edit(p -> {
                            if (p.getMetadata().getAnnotations() == null) {
                                p.getMetadata().setAnnotations(new HashMap<>());
                            }
                            p.getMetadata().getAnnotations().put(CONFIG_HASH_ANNOTATION, hash);
                            return p;
                        });
            } catch (KubernetesClientException e) {
                // The volume still updates on the kubelet's own schedule; the next reconcile stamps again.
                log.warn("could not stamp nginx pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        e.getMessage());
            }
        }
    }

    /** What each ready pod serves, asked at the fleet's nginx port; by pod name, so the status reads the same each time. */
    static List<Answer> ask(List<Pod> pods, int port, NginxConfigProbe probe) {
        return pods.stream().filter(NginxPods::ready)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> new Answer(p.getMetadata().getName(), probe.configId(p.getStatus().getPodIP(), port).orElse(null)))
                .toList();
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getPodIP() != null && Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of())
                        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
