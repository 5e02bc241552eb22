package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.contract.HostPort;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.dependent.FleetLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The fleet's running socket-node pods and their session counts, asked of each pod (the
 * {@link NodeSessionsProbe} the status uses too):
 * what autoscaling adds up, and what a scale-down orders the pods by. Before the operator lowers
 * the node Deployment's replicas it writes each pod's count as its
 * {@value #DELETION_COST} (and only then, as the Kubernetes documentation advises: the annotation
 * is not meant to follow a metric), so the ReplicaSet controller removes the emptiest nodes and
 * the fewest clients have to reconnect.
 */
final class NodePods {

    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    private static final Logger log = LoggerFactory.getLogger(NodePods.class);

    /** A running node pod and its sessions (empty: it did not answer). */
    record Count(Pod pod, Optional<Integer> sessions) {
        String name() {
            return pod.getMetadata().getName();
        }
    }

    private NodePods() {
    }

    /** Every running node pod with an IP, by name, with what it answered. */
    static List<Count> count(KubernetesClient client, SocketFleet fleet, NodeSessionsProbe probe) {
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(fleet.getMetadata().getNamespace())
                    .withLabels(FleetLabels.selector(fleet, FleetLabels.Component.NODE)).list().getItems();
        } catch (KubernetesClientException e) {
            log.warn("could not list the socket-node pods of {}: {}", fleet.getMetadata().getName(), e.getMessage());
            return List.of();
        }
        int port = fleet.getSpec().getNode().getPort();
        List<Pod> running = pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                        && p.getStatus().getPodIP() != null && "Running".equals(p.getStatus().getPhase()))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        List<Optional<Integer>> answers = probe.sessions(running.stream()
                .map(p -> new HostPort(p.getStatus().getPodIP(), port).toString()).toList());
        return IntStream.range(0, running.size()).mapToObj(i -> new Count(running.get(i), answers.get(i))).toList();
    }

    /**
     * Writes each answering pod's session count as its deletion cost. A pod that did not answer keeps whatever it has: the controller removes
     * pods that are not ready first anyway.
     */
    static void setDeletionCosts(KubernetesClient client, List<Count> counts) {
        for (Count count : counts) {
            if (count.sessions().isEmpty()) {
                continue;
            }
            String cost = Integer.toString(count.sessions().get());
            var annotations = count.pod().getMetadata().getAnnotations();
            if (cost.equals(annotations == null ? null : annotations.get(DELETION_COST))) {
                continue;
            }
            try {
                client.pods().inNamespace(count.pod().getMetadata().getNamespace()).withName(count.name()).edit(p -> {
                    if (p.getMetadata().getAnnotations() == null) {
                        p.getMetadata().setAnnotations(new HashMap<>());
                    }
                    p.getMetadata().getAnnotations().put(DELETION_COST, cost);
                    return p;
                });
            } catch (KubernetesClientException e) {
                // The scale-down goes ahead; this pod is ordered by the controller's other rules.
                log.warn("could not set the deletion cost of {}: {}", count.name(), e.getMessage());
            }
        }
    }
}
