package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SessionsStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetStatus;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ready and Progressing tell the truth about rollouts, case by case, without a cluster. */
class FleetStatusCalculatorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T16:00:00Z");

    /** A Deployment at this generation, whose controller has seen {@code observed} and reports the counts. */
    private static Optional<Deployment> deployment(int replicasInSpec, long generation, long observed, int replicas,
                                                   int updated, int available) {
        return Optional.of(new DeploymentBuilder().withNewMetadata().withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicasInSpec).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(replicas).withUpdatedReplicas(updated)
                    .withReadyReplicas(available).withAvailableReplicas(available).endStatus()
                .build());
    }

    private static List<BackendStatus> backends(int ready) {
        return IntStream.range(0, ready).mapToObj(i -> new BackendStatus("n" + i, "10.0.0." + i + ":3000", true)).toList();
    }

    private static SocketFleetStatus status(Optional<Deployment> nodes, Optional<Deployment> nginx, int backends) {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        fleet.getMetadata().setGeneration(2L);
        return FleetStatusCalculator.valid(
                new FleetStatusCalculator.Observation(fleet, nodes, nginx, backends(backends), "hash", "cfg1", Optional.empty()), NOW);
    }

    private static Condition condition(SocketFleetStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static final Optional<Deployment> NGINX_DONE = deployment(1, 1, 1, 1, 1, 1);

    @Test
    void readyWhenBothRolloutsAreDoneAndNginxRoutesToEveryNode() {
        SocketFleetStatus status = status(deployment(3, 4, 4, 3, 3, 3), NGINX_DONE, 3);
        assertEquals("True", condition(status, "Ready").getStatus());
        assertEquals("False", condition(status, "Progressing").getStatus());
        assertEquals("Stable", condition(status, "Progressing").getReason());
        assertEquals(2L, status.getObservedGeneration());
        assertEquals(3, status.getBackendCount());
    }

    @Test
    void notReadyWhileTheDeploymentControllerHasNotSeenTheNewSpec() {
        // Old status still says 3/3 available, but generation 5 is not observed yet.
        SocketFleetStatus status = status(deployment(3, 5, 4, 3, 3, 3), NGINX_DONE, 3);
        assertEquals("False", condition(status, "Ready").getStatus());
        assertEquals("RollingOut", condition(status, "Progressing").getReason());
        assertTrue(condition(status, "Progressing").getMessage().contains("socket-node rollout not yet observed"));
    }

    @Test
    void notReadyWhileOldPodsRemainOrNewOnesAreNotAvailable() {
        SocketFleetStatus surge = status(deployment(3, 5, 5, 4, 1, 3), NGINX_DONE, 3);
        assertEquals("False", condition(surge, "Ready").getStatus());
        assertEquals("Scaling", condition(surge, "Progressing").getReason(), "4 pods for 3 desired");
        assertTrue(condition(surge, "Progressing").getMessage().contains("socket-node rollout: 1/3 updated, 3 available, 4 pods"),
                condition(surge, "Progressing").getMessage());

        SocketFleetStatus nginx = status(deployment(3, 5, 5, 3, 3, 3), deployment(1, 2, 2, 1, 0, 1), 3);
        assertEquals("False", condition(nginx, "Ready").getStatus());
        assertTrue(condition(nginx, "Ready").getMessage().contains("nginx rollout: 0/1 updated"));
    }

    @Test
    void notReadyUntilNginxRoutesToEveryDesiredNode() {
        SocketFleetStatus status = status(deployment(3, 5, 5, 3, 3, 3), NGINX_DONE, 2);
        assertEquals("False", condition(status, "Ready").getStatus());
        assertEquals("WaitingForBackends", condition(status, "Progressing").getReason());
        assertEquals("nginx routes to 2 of 3 socket-nodes", condition(status, "Ready").getMessage());
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        fleet.getMetadata().setGeneration(1L);
        var seen = new FleetStatusCalculator.Observation(fleet, deployment(3, 1, 1, 3, 3, 3), NGINX_DONE, backends(3), "h", "cfg1",
                Optional.empty());
        fleet.setStatus(FleetStatusCalculator.valid(seen, NOW));
        SocketFleetStatus later = FleetStatusCalculator.valid(seen, NOW.plusSeconds(60));
        assertEquals(NOW.toString(), condition(later, "Ready").getLastTransitionTime());
    }

    private static Condition configApplied(List<NginxPods.Answer> answers) {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        var seen = new FleetStatusCalculator.Observation(fleet, deployment(3, 1, 1, 3, 3, 3), NGINX_DONE, backends(3), "h", "cfg1",
                Optional.of(answers));
        return condition(FleetStatusCalculator.valid(seen, NOW), "ConfigApplied");
    }

    @Test
    void configAppliedSaysWhichConfigEachReadyNginxServes() {
        Condition all = configApplied(List.of(new NginxPods.Answer("nginx-a", "cfg1"), new NginxPods.Answer("nginx-b", "cfg1")));
        assertEquals("True", all.getStatus());
        assertEquals("2/2 ready nginx pods serve config cfg1", all.getMessage());

        Condition behind = configApplied(List.of(new NginxPods.Answer("nginx-a", "cfg1"), new NginxPods.Answer("nginx-b", "cfg0"),
                new NginxPods.Answer("nginx-c", null)));
        assertEquals("False", behind.getStatus());
        assertEquals("1/3 ready nginx pods serve config cfg1; not yet: nginx-b (serves cfg0), nginx-c (no answer)",
                behind.getMessage());

        assertEquals("NoReadyNginx", configApplied(List.of()).getReason());
    }

    private static SocketFleetStatus withSessions(List<Integer> perNode) {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        return FleetStatusCalculator.valid(new FleetStatusCalculator.Observation(fleet, deployment(3, 1, 1, 3, 3, 3), NGINX_DONE,
                backends(3), "h", "cfg1", Optional.empty(), Optional.of(perNode)), NOW);
    }

    @Test
    void sessionsPerNodeGiveMinMaxAndTheBalanceAsMaxOverMean() {
        SessionsStatus spread = withSessions(List.of(90, 100, 130)).getSessions();
        assertEquals(320, spread.getTotal());
        assertEquals(90, spread.getMin());
        assertEquals(130, spread.getMax());
        assertEquals(1.22, spread.getBalance(), "130 / (320 / 3) = 1.21875, to two decimals");
        assertEquals(3, spread.getNodesReporting());

        assertEquals(1.0, withSessions(List.of(7, 7)).getSessions().getBalance());
        assertEquals(2.0, withSessions(List.of(0, 4)).getSessions().getBalance(), "one node holds everything");
    }

    @Test
    void noSessionsHaveNoBalanceAndNoAnswerNoSessions() {
        SessionsStatus empty = withSessions(List.of(0, 0, 0)).getSessions();
        assertEquals(0, empty.getMax());
        assertNull(empty.getBalance(), "nothing to spread yet");
        assertNull(withSessions(List.of()).getSessions(), "no node answered: nothing is claimed");
    }

    @Test
    void aReconcileThatDidNotAskTheNodesKeepsTheSessionsLastSeen() {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        fleet.setStatus(withSessions(List.of(1, 2, 3)));
        SocketFleetStatus next = FleetStatusCalculator.valid(new FleetStatusCalculator.Observation(fleet,
                deployment(3, 1, 1, 3, 3, 3), NGINX_DONE, backends(3), "h", "cfg1", Optional.empty()), NOW);
        assertEquals(6, next.getSessions().getTotal());
    }

    @Test
    void anInvalidSpecKeepsTheSessionsLastSeen() {
        SocketFleet fleet = Fleets.fleet("chat", "ns", 3);
        fleet.setStatus(withSessions(List.of(1, 2, 3)));
        SocketFleetStatus invalid = FleetStatusCalculator.invalid(fleet, "spec.replicas: must be at least 0", NOW);
        assertEquals(6, invalid.getSessions().getTotal());
    }
}
