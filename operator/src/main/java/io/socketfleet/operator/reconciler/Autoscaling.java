package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.autoscaling.ReplicaRecommender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * spec.autoscaling carried out: the sessions the node pods hold, summed, give a replica count
 * ({@link ReplicaRecommender}, one per fleet, remembering its recommendations), which is written
 * through the fleet's scale subresource as an HPA writes it, so whoever else scales the fleet
 * (kubectl scale, an HPA when autoscaling is off) goes the same way.
 */
final class Autoscaling {

    private static final Logger log = LoggerFactory.getLogger(Autoscaling.class);
    private final Map<ResourceID, ReplicaRecommender> recommenders = new ConcurrentHashMap<>();

    /** Scales the fleet if its sessions call for it; true when it wrote a new replica count. */
    boolean scale(KubernetesClient client, SocketFleet fleet, List<NodePods.Count> counts, Instant now) {
        if (counts.stream().anyMatch(c -> c.sessions().isEmpty())) {
            // A node that does not answer could hold any number: decide on whole counts only.
            return false;
        }
        long sessions = counts.stream().mapToLong(c -> c.sessions().get()).sum();
        int current = fleet.getSpec().getReplicas();
        int wanted = recommenders.computeIfAbsent(ResourceID.fromResource(fleet), id -> new ReplicaRecommender())
                .recommend(fleet.getSpec().getAutoscaling(), current, sessions, now.toEpochMilli());
        if (wanted == current) {
            return false;
        }
        try {
            client.resources(SocketFleet.class).inNamespace(fleet.getMetadata().getNamespace())
                    .withName(fleet.getMetadata().getName()).scale(wanted);
            log.info("SocketFleet {}/{}: {} sessions on {} node(s), autoscaling replicas {} -> {}",
                    fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), sessions, counts.size(), current, wanted);
            return true;
        } catch (KubernetesClientException e) {
            log.warn("SocketFleet {}/{}: could not scale to {}: {}", fleet.getMetadata().getNamespace(),
                    fleet.getMetadata().getName(), wanted, e.getMessage());
            return false;
        }
    }
}
