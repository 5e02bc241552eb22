package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SessionsStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetStatus;
import io.socketfleet.operator.dependent.FleetLabels;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's status as a pure function of what the operator observed: no client, no clock of
 * its own. Ready means both rollouts are finished (each Deployment's controller has seen the
 * latest spec, every pod is updated and available, none of the old ones is left) and nginx
 * routes to every desired node.
 */
public final class FleetStatusCalculator {

    /**
     * What one reconcile saw. {@code nginxAnswers}: what each ready nginx pod said it serves,
     * when they were asked (they are not once all serve the current config). {@code sessionsPerNode}:
     * what each ready node that answered reported, when they were asked (not on every reconcile;
     * the status keeps the last answers in between).
     */
    public record Observation(SocketFleet fleet, Optional<Deployment> nodes, Optional<Deployment> nginx,
                              List<BackendStatus> backends, String configHash, String configId,
                              Optional<List<NginxPods.Answer>> nginxAnswers, Optional<List<Integer>> sessionsPerNode) {

        /** What one reconcile saw without asking the nodes for their sessions. */
        public Observation(SocketFleet fleet, Optional<Deployment> nodes, Optional<Deployment> nginx,
                           List<BackendStatus> backends, String configHash, String configId,
                           Optional<List<NginxPods.Answer>> nginxAnswers) {
            this(fleet, nodes, nginx, backends, configHash, configId, nginxAnswers, Optional.empty());
        }
    }

    /**
     * Sessions over the nodes that reported them (empty when none did): total, min, max and the
     * balance, max/mean to two decimals — null while there are no sessions to spread.
     */
    public static Optional<SessionsStatus> sessions(List<Integer> perNode) {
        if (perNode.isEmpty()) {
            return Optional.empty();
        }
        int total = perNode.stream().mapToInt(Integer::intValue).sum();
        int min = perNode.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = perNode.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Double balance = total == 0 ? null : Math.round(100.0 * max * perNode.size() / total) / 100.0;
        return Optional.of(new SessionsStatus(total, min, max, balance, perNode.size()));
    }

    private FleetStatusCalculator() {
    }

    public static SocketFleetStatus valid(Observation seen, Instant now) {
        SocketFleet fleet = seen.fleet();
        int desired = fleet.getSpec().getReplicas();
        int inUpstream = (int) seen.backends().stream().filter(BackendStatus::getReady).count();
        Rollout nodes = Rollout.of("socket-node", seen.nodes(), desired);
        Rollout nginx = Rollout.of("nginx", seen.nginx(), fleet.getSpec().getNginx().getReplicas());

        SocketFleetStatus status = new SocketFleetStatus();
        status.setObservedGeneration(fleet.getMetadata().getGeneration());
        status.setReplicas(nodes.replicas());
        status.setReadyReplicas(nodes.ready());
        status.setSelector(FleetLabels.selectorString(fleet, FleetLabels.Component.NODE));
        status.setBackends(List.copyOf(seen.backends()));
        status.setBackendCount(inUpstream);
        status.setConfigHash(seen.configHash());
        status.setSessions(seen.sessionsPerNode().map(perNode -> sessions(perNode).orElse(null))
                .orElse(fleet.getStatus() == null ? null : fleet.getStatus().getSessions()));

        List<String> waiting = new ArrayList<>();
        nodes.waitingFor().ifPresent(waiting::add);
        nginx.waitingFor().ifPresent(waiting::add);
        if (inUpstream != desired) {
            waiting.add("nginx routes to " + inUpstream + " of " + desired + " socket-nodes");
        }
        boolean ready = waiting.isEmpty();
        String summary = nodes.ready() + "/" + desired + " socket-nodes ready, " + inUpstream + " in the nginx upstream, "
                + nginx.available() + "/" + nginx.desired() + " nginx pods available";
        String reason = ready ? "Stable" : nodes.replicas() != desired ? "Scaling"
                : !nodes.done() || !nginx.done() ? "RollingOut" : "WaitingForBackends";
        status.setConditions(new FleetConditions(previousConditions(fleet), fleet.getMetadata().getGeneration(), now)
                .set(FleetConditions.READY, ready, ready ? "AllNodesReady" : "NotReady",
                        ready ? summary : String.join("; ", waiting))
                .set(FleetConditions.PROGRESSING, !ready, reason, ready ? summary : String.join("; ", waiting))
                .set(FleetConditions.DEGRADED, false, "AsExpected", "the spec is valid and every child was reconciled")
                .with(conditions -> configApplied(conditions, seen))
                .build());
        return status;
    }

    /** Whether every ready nginx pod serves the config in the ConfigMap, and if not, who serves what. */
    private static void configApplied(FleetConditions conditions, Observation seen) {
        String id = seen.configId();
        if (seen.nginxAnswers().isEmpty()) {
            conditions.keep(FleetConditions.CONFIG_APPLIED, false, "Pending", "nginx not asked yet about config " + id);
            return;
        }
        List<NginxPods.Answer> answers = seen.nginxAnswers().get();
        List<String> behind = answers.stream().filter(a -> !id.equals(a.configId()))
                .map(a -> a.pod() + (a.configId() == null ? " (no answer)" : " (serves " + a.configId() + ")")).toList();
        if (answers.isEmpty()) {
            conditions.set(FleetConditions.CONFIG_APPLIED, false, "NoReadyNginx", "no ready nginx pod serves config " + id);
        } else if (behind.isEmpty()) {
            conditions.set(FleetConditions.CONFIG_APPLIED, true, "Applied",
                    answers.size() + "/" + answers.size() + " ready nginx pods serve config " + id);
        } else {
            conditions.set(FleetConditions.CONFIG_APPLIED, false, "Pending", (answers.size() - behind.size()) + "/"
                    + answers.size() + " ready nginx pods serve config " + id + "; not yet: " + String.join(", ", behind));
        }
    }

    /** True when the status says every ready nginx pod serves this config already (no need to ask again). */
    public static boolean configConfirmed(SocketFleetStatus status, String configHash) {
        return status != null && configHash.equals(status.getConfigHash()) && status.getConditions() != null
                && status.getConditions().stream().anyMatch(c -> FleetConditions.CONFIG_APPLIED.equals(c.getType())
                        && "True".equals(c.getStatus()));
    }

    /** An invalid spec changes nothing: the rest of the status stays as it was. */
    public static SocketFleetStatus invalid(SocketFleet fleet, String problems, Instant now) {
        SocketFleetStatus status = copyOrNew(fleet);
        status.setObservedGeneration(fleet.getMetadata().getGeneration());
        status.setConditions(new FleetConditions(status.getConditions(), fleet.getMetadata().getGeneration(), now)
                .keep(FleetConditions.READY, false, "InvalidSpec", "nothing was created: the spec is invalid")
                .set(FleetConditions.PROGRESSING, false, "InvalidSpec", "waiting for a valid spec")
                .set(FleetConditions.DEGRADED, true, "InvalidSpec", problems)
                .build());
        return status;
    }

    public static SocketFleetStatus failed(SocketFleet fleet, String error, Instant now) {
        SocketFleetStatus status = copyOrNew(fleet);
        status.setConditions(new FleetConditions(status.getConditions(), fleet.getMetadata().getGeneration(), now)
                .keep(FleetConditions.READY, false, "ReconcileError", "reconciling failed")
                .keep(FleetConditions.PROGRESSING, true, "ReconcileError", "retrying")
                .set(FleetConditions.DEGRADED, true, "ReconcileError", error)
                .build());
        return status;
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> previousConditions(SocketFleet fleet) {
        return fleet.getStatus() == null ? null : fleet.getStatus().getConditions();
    }

    private static SocketFleetStatus copyOrNew(SocketFleet fleet) {
        SocketFleetStatus previous = fleet.getStatus();
        SocketFleetStatus status = new SocketFleetStatus();
        if (previous != null) {
            status.setReplicas(previous.getReplicas());
            status.setReadyReplicas(previous.getReadyReplicas());
            status.setSelector(previous.getSelector());
            status.setBackends(previous.getBackends());
            status.setBackendCount(previous.getBackendCount());
            status.setConfigHash(previous.getConfigHash());
            status.setSessions(previous.getSessions());
            status.setConditions(previous.getConditions());
            status.setObservedGeneration(previous.getObservedGeneration());
        }
        return status;
    }

    /** How far a Deployment's rollout to {@code desired} replicas has come. */
    record Rollout(String name, int desired, boolean observed, int replicas, int updated, int ready, int available) {

        static Rollout of(String name, Optional<Deployment> deployment, int desired) {
            if (deployment.isEmpty()) {
                return new Rollout(name, desired, false, 0, 0, 0, 0);
            }
            Deployment d = deployment.get();
            DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
            long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
            boolean observed = s.getObservedGeneration() != null && s.getObservedGeneration() >= generation
                    && d.getSpec() != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() == desired;
            return new Rollout(name, desired, observed, orZero(s.getReplicas()), orZero(s.getUpdatedReplicas()),
                    orZero(s.getReadyReplicas()), orZero(s.getAvailableReplicas()));
        }

        boolean done() {
            return observed && updated == desired && replicas == desired && available == desired;
        }

        Optional<String> waitingFor() {
            if (done()) {
                return Optional.empty();
            }
            if (!observed) {
                return Optional.of(name + " rollout not yet observed by its controller");
            }
            return Optional.of(name + " rollout: " + updated + "/" + desired + " updated, " + available + " available, "
                    + replicas + " pods in total");
        }

        private static int orZero(Integer value) {
            return value == null ? 0 : value;
        }
    }
}
