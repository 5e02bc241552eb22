package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.operator.api.RedisSpec;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.local.LocalAction.Died;
import io.socketfleet.operator.local.LocalAction.Drain;
import io.socketfleet.operator.local.LocalAction.Forget;
import io.socketfleet.operator.local.LocalAction.Reload;
import io.socketfleet.operator.local.LocalAction.Start;
import io.socketfleet.operator.local.LocalAction.Stopped;
import io.socketfleet.operator.local.NodeView.Phase;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local mode's decisions, case by case, without a process. */
class LocalPlanTest {

    private static final long NOW = 1_000_000;
    private static final NodeSettings DEFAULTS = Fleets.fleet("chat", "default", 1).getSpec().nodeSettings();

    private static SocketFleet fleet(int replicas) {
        return Fleets.fleet("chat", "default", replicas);
    }

    private static NodeView ready(int slot) {
        return NodeView.ready(slot, DEFAULTS, Backoff.NONE, NOW - 60_000);
    }

    private static NodeView starting(int slot) {
        return NodeView.starting(slot, DEFAULTS, Backoff.NONE);
    }

    private static Backend backend(int slot) {
        return new Backend("chat-node-" + (slot + 1), LocalPlan.address(slot), LocalNode.port(DEFAULTS));
    }

    /** The routing nginx runs when exactly these slots are ready. */
    private static Routing serving(int... slots) {
        List<Backend> backends = new ArrayList<>();
        for (int slot : slots) {
            backends.add(backend(slot));
        }
        return new Routing(backends, List.of());
    }

    private static <T extends LocalAction> List<T> all(LocalPlan plan, Class<T> kind) {
        return plan.actions().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static List<Integer> started(LocalPlan plan) {
        return all(plan, Start.class).stream().map(Start::slot).toList();
    }

    private static List<Integer> drained(LocalPlan plan) {
        return all(plan, Drain.class).stream().map(Drain::slot).toList();
    }

    private static Routing reloadedTo(LocalPlan plan) {
        List<Reload> reloads = all(plan, Reload.class);
        assertEquals(1, reloads.size(), "one reload: " + plan.actions());
        return reloads.get(0).after();
    }

    @Test
    void anEmptyFleetStartsItsNodesInTheLowestSlots() {
        LocalPlan plan = LocalPlan.plan(fleet(3), null, List.of(), Routing.EMPTY, NOW);
        assertEquals(List.of(0, 1, 2), started(plan));
        assertEquals(List.of(), drained(plan));
    }

    @Test
    void aSteadyFleetNeedsNothing() {
        LocalPlan plan = LocalPlan.plan(fleet(3), null, List.of(ready(0), ready(1), ready(2)), serving(0, 1, 2), NOW);
        assertEquals(List.of(), plan.actions());
    }

    @Test
    void readyNodesAreListedInNginxAndStartingOnesAreNot() {
        LocalPlan plan = LocalPlan.plan(fleet(3), null, List.of(ready(0), starting(1), ready(2)), serving(0), NOW);
        assertEquals(serving(0, 2), reloadedTo(plan));
        assertEquals(List.of(), started(plan), "the starting node counts");
    }

    @Test
    void scalingUpStartsTheMissingNodesInFreeSlots() {
        LocalPlan plan = LocalPlan.plan(fleet(5), null, List.of(ready(0), NodeView.draining(1, DEFAULTS), ready(2)), serving(0, 2), NOW);
        assertEquals(List.of(3, 4, 5), started(plan), "slot 1 is still held by the draining node");
    }

    @Test
    void scalingDownDrainsStartingNodesFirstThenTheHighestSlots() {
        List<NodeView> nodes = List.of(ready(0), ready(1), ready(2), ready(3), starting(4));
        LocalPlan plan = LocalPlan.plan(fleet(2), null, nodes, serving(0, 1, 2, 3), NOW);
        assertEquals(List.of(4, 3, 2), drained(plan));
        assertTrue(all(plan, Drain.class).stream().allMatch(d -> d.why() == Drain.Why.SCALED_DOWN));
        assertEquals(new Routing(List.of(backend(0), backend(1)), List.of(backend(2), backend(3), backend(4))), reloadedTo(plan),
                "drained nodes leave the upstream at once but still own their sessions");
    }

    @Test
    void scalingDownDrainsTheNodesHoldingTheFewestSessions() {
        List<NodeView> nodes = List.of(ready(0).withSessions(900), ready(1).withSessions(120), ready(2).withSessions(700),
                ready(3).withSessions(40));
        LocalPlan plan = LocalPlan.plan(fleet(2), null, nodes, serving(0, 1, 2, 3), NOW);
        assertEquals(List.of(3, 1), drained(plan), "the emptiest two leave, whatever their slots");
        LocalPlan tie = LocalPlan.plan(fleet(3), null, List.of(ready(0).withSessions(5), ready(1).withSessions(5),
                ready(2).withSessions(5), ready(3).withSessions(5)), serving(0, 1, 2, 3), NOW);
        assertEquals(List.of(3), drained(tie), "on a tie the highest slot leaves");
    }

    @Test
    void aDrainedNodeThatExitedFreesItsSlot() {
        List<NodeView> nodes = List.of(ready(0), NodeView.stopped(1, DEFAULTS));
        LocalPlan plan = LocalPlan.plan(fleet(2), null, nodes, new Routing(List.of(backend(0)), List.of(backend(1))), NOW);
        assertEquals(List.of(new Stopped(1)), all(plan, Stopped.class));
        assertEquals(List.of(1), started(plan));
        assertEquals(serving(0), reloadedTo(plan), "and leaves the session map");
    }

    @Test
    void changedSettingsRollOneNodeAtATimeNewFirst() {
        SocketFleet edited = fleet(3);
        edited.getSpec().getNode().setPingIntervalMs(20_000);
        List<NodeView> nodes = List.of(ready(0), ready(1), ready(2));

        LocalPlan surge = LocalPlan.plan(fleet(3), edited, nodes, serving(0, 1, 2), NOW);
        assertSame(edited, surge.fleet());
        assertEquals(List.of(3), started(surge), "one new node beyond spec.replicas");
        assertEquals(List.of(), drained(surge), "no old node leaves before a new one is ready");

        NodeSettings wanted = edited.getSpec().nodeSettings();
        List<NodeView> surging = List.of(ready(0), ready(1), ready(2), NodeView.starting(3, wanted, Backoff.NONE));
        assertEquals(List.of(), LocalPlan.plan(edited, null, surging, serving(0, 1, 2), NOW).actions(), "waits for it");

        List<NodeView> surged = List.of(ready(0), ready(1), ready(2), NodeView.ready(3, wanted, Backoff.NONE, NOW));
        LocalPlan swap = LocalPlan.plan(edited, null, surged, serving(0, 1, 2), NOW);
        assertEquals(List.of(new Drain(2, Drain.Why.OLD_SETTINGS)), all(swap, Drain.class), "then exactly one old node drains");
        assertEquals(List.of(), started(swap));
        Routing swapped = reloadedTo(swap);
        assertEquals(List.of(LocalPlan.address(0), LocalPlan.address(1), LocalPlan.address(3)),
                swapped.serving().stream().map(b -> b.hostPort().host()).toList(), "and nginx swaps them in one reload");
    }

    @Test
    void switchingToShardedPubSubRollsTheNodesOntoIt() {
        SocketFleet edited = fleet(3);
        edited.getSpec().getRedis().setPubsub(RedisSpec.PubSub.sharded);
        NodeSettings wanted = edited.getSpec().nodeSettings();
        assertEquals("sharded", wanted.text(NodeSetting.REDIS_PUBSUB));
        Simulation fleet = new Simulation(List.of(ready(0), ready(1), ready(2)), serving(0, 1, 2));

        fleet.step(fleet(3), edited);
        for (int tick = 0; tick < 40 && !fleet.allRun(wanted, 3); tick++) {
            fleet.step(edited, null);
        }
        assertTrue(fleet.allRun(wanted, 3), "every node runs sharded pub/sub: " + fleet.nodes);
    }

    @Test
    void aRolloutNeverDropsBelowTheWantedReadyNodesAndEndsOnTheNewSettings() {
        SocketFleet edited = fleet(3);
        edited.getSpec().getNode().setMaxConnections(5_000);
        NodeSettings wanted = edited.getSpec().nodeSettings();
        Simulation fleet = new Simulation(List.of(ready(0), ready(1), ready(2)), serving(0, 1, 2));

        fleet.step(fleet(3), edited);
        for (int tick = 0; tick < 40 && !fleet.allRun(wanted, 3); tick++) {
            fleet.step(edited, null);
            assertTrue(fleet.ready() >= 3, "ready nodes at tick " + tick + ": " + fleet.nodes);
            assertTrue(fleet.alive() <= 4, "at most one surge node at tick " + tick + ": " + fleet.nodes);
        }
        assertTrue(fleet.allRun(wanted, 3), "rolled: " + fleet.nodes);
        assertEquals(3, fleet.routing.serving().size());
    }

    @Test
    void aCrashedNodeRestartsInItsSlotAfterItsBackoff() {
        NodeView crashed = NodeView.exited(1, DEFAULTS, Backoff.NONE, NOW - 5_000, "exit 137");
        LocalPlan plan = LocalPlan.plan(fleet(3), null, List.of(ready(0), crashed, ready(2)), serving(0, 1, 2), NOW);
        Died died = all(plan, Died.class).get(0);
        assertEquals(new Died(1, "exit 137", new Backoff(1, NOW + 1_000)), died);
        assertEquals(List.of(), started(plan), "its slot waits for it; no replacement elsewhere");
        assertEquals(serving(0, 2), reloadedTo(plan), "out of nginx at once");

        List<NodeView> waiting = List.of(ready(0), NodeView.crashed(1, died.crashes()), ready(2));
        assertEquals(List.of(), started(LocalPlan.plan(fleet(3), null, waiting, serving(0, 2), NOW + 999)));
        assertEquals(List.of(new Start(1, died.crashes())), all(LocalPlan.plan(fleet(3), null, waiting, serving(0, 2), NOW + 1_000), Start.class));
    }

    @Test
    void aCrashLoopBacksOffUpTo32SecondsAndALongRunResetsIt() {
        Backoff crashes = Backoff.NONE;
        List<Long> delays = new ArrayList<>();
        for (int crash = 0; crash < 8; crash++) {
            NodeView exited = NodeView.exited(0, DEFAULTS, crashes, NOW - 2_000, "exit 1");
            crashes = all(LocalPlan.plan(fleet(1), null, List.of(exited), Routing.EMPTY, NOW), Died.class).get(0).crashes();
            delays.add(crashes.notBefore() - NOW);
        }
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 32_000L, 32_000L), delays);
        assertEquals(8, crashes.failures());

        NodeView ranLong = NodeView.exited(0, DEFAULTS, crashes, NOW - Backoff.STABLE_MILLIS, "exit 1");
        Died again = all(LocalPlan.plan(fleet(1), null, List.of(ranLong), Routing.EMPTY, NOW), Died.class).get(0);
        assertEquals(new Backoff(1, NOW + 1_000), again.crashes(), "ready for 30 s before it died: a fresh start");

        NodeView neverReady = NodeView.exited(0, DEFAULTS, crashes, -1, "exit 1");
        assertEquals(9, all(LocalPlan.plan(fleet(1), null, List.of(neverReady), Routing.EMPTY, NOW), Died.class).get(0).crashes().failures());
    }

    @Test
    void aCrashedSlotTheFleetNoLongerNeedsIsNotRestarted() {
        List<NodeView> nodes = List.of(ready(0), NodeView.crashed(1, new Backoff(2, NOW + 5_000)), NodeView.crashed(2, new Backoff(1, NOW)));
        LocalPlan plan = LocalPlan.plan(fleet(2), null, nodes, serving(0), NOW);
        assertEquals(List.of(new Forget(2)), all(plan, Forget.class), "the highest slot goes");
        assertEquals(List.of(), started(plan), "slot 1 still waits for its backoff");
    }

    @Test
    void anInvalidEditChangesNothing() {
        SocketFleet invalid = fleet(3);
        invalid.getSpec().setReplicas(-1);
        SocketFleet running = fleet(3);
        LocalPlan plan = LocalPlan.plan(running, invalid, List.of(ready(0), ready(1), ready(2)), serving(0, 1, 2), NOW);
        assertSame(running, plan.fleet());
        assertEquals(List.of(), plan.actions());
        assertEquals(1, plan.rejected().size());
        assertTrue(plan.rejected().get(0).startsWith("spec.replicas"), plan.rejected().toString());
    }

    @Test
    void aFleetBiggerThanTheLoopbackSlotsSaysHowManyFoundNoPlace() {
        LocalPlan plan = LocalPlan.plan(fleet(LocalPlan.MAX_SLOTS + 2), null, List.of(), Routing.EMPTY, NOW);
        assertEquals(LocalPlan.MAX_SLOTS, started(plan).size());
        assertEquals(2, plan.unplaced());
    }

    /** Plays the processes: started nodes are ready by the next step, drained ones gone a step later. */
    private static final class Simulation {

        private final Map<Integer, NodeView> nodes = new TreeMap<>();
        private Routing routing;
        private SocketFleet fleet;

        Simulation(List<NodeView> nodes, Routing routing) {
            nodes.forEach(n -> this.nodes.put(n.slot(), n));
            this.routing = routing;
        }

        void step(SocketFleet running, SocketFleet edit) {
            nodes.replaceAll((slot, n) -> switch (n.phase()) {
                case STARTING -> NodeView.ready(slot, n.settings(), n.crashes(), NOW);
                case DRAINING -> NodeView.stopped(slot, n.settings());
                default -> n;
            });
            LocalPlan plan = LocalPlan.plan(running, edit, List.copyOf(nodes.values()), routing, NOW);
            fleet = plan.fleet();
            for (LocalAction action : plan.actions()) {
                if (action instanceof Start start) {
                    nodes.put(start.slot(), NodeView.starting(start.slot(), fleet.getSpec().nodeSettings(), start.crashes()));
                } else if (action instanceof Drain drain) {
                    nodes.put(drain.slot(), NodeView.draining(drain.slot(), nodes.get(drain.slot()).settings()));
                } else if (action instanceof Stopped stopped) {
                    nodes.remove(stopped.slot());
                } else if (action instanceof Reload reload) {
                    routing = reload.after();
                }
            }
        }

        long ready() {
            return nodes.values().stream().filter(n -> n.is(Phase.READY)).count();
        }

        long alive() {
            return nodes.values().stream().filter(n -> n.is(Phase.READY) || n.is(Phase.STARTING)).count();
        }

        boolean allRun(NodeSettings settings, int count) {
            return nodes.size() == count && nodes.values().stream().allMatch(n -> n.is(Phase.READY) && n.settings().equals(settings));
        }
    }
}
