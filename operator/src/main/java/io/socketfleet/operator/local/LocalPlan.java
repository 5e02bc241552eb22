package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSettings;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.local.LocalAction.Died;
import io.socketfleet.operator.local.LocalAction.Drain;
import io.socketfleet.operator.local.LocalAction.Forget;
import io.socketfleet.operator.local.LocalAction.Reload;
import io.socketfleet.operator.local.LocalAction.Start;
import io.socketfleet.operator.local.LocalAction.Stopped;
import io.socketfleet.operator.local.NodeView.Phase;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.validation.FleetValidator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What local mode does next, decided from the fleet file and the nodes as they are — no
 * processes, no clock, no I/O, so every case is a unit test. {@link LocalFleet} observes, asks
 * for a plan, and carries it out, a few times a second.
 *
 * <p>The rules are a Deployment's with {@code maxSurge: 1, maxUnavailable: 0} and a kubelet's
 * restart backoff: keep {@code spec.replicas} nodes with the file's settings; when scaling down,
 * starting nodes leave first, then the ready nodes holding the fewest sessions (the fewest clients
 * to reconnect; highest slot on a tie), as the operator's pod-deletion-cost does in a cluster; a node with other settings is replaced
 * one at a time — a new node first, and the old one drains once the ready count stays at
 * {@code spec.replicas} without it; a crashed node restarts in its slot after its backoff;
 * nginx lists the ready nodes. An invalid edit of the file changes nothing.
 *
 * @param fleet    the fleet to run from now on: the edit when it was valid, otherwise the running one
 * @param rejected why an edit was refused, one problem per field (empty when it was accepted or there was none)
 * @param actions  what to do, in order
 * @param unplaced nodes wanted that found no free slot (address) to start in
 */
record LocalPlan(SocketFleet fleet, List<String> rejected, List<LocalAction> actions, int unplaced) {

    /** Slots 0..249 are 127.0.0.2..127.0.0.251. */
    static final int MAX_SLOTS = 250;

    /** A node's own loopback address, as a pod has its own IP: 127.0.0.2 for slot 0, 127.0.0.3 for slot 1, … */
    static String address(int slot) {
        return "127.0.0." + (slot + 2);
    }

    static String nodeName(SocketFleet fleet, int slot) {
        return fleet.getMetadata().getName() + "-node-" + (slot + 1);
    }

    /**
     * What every node of the fleet runs with: the spec's node settings and its admin UI's (all but the
     * password hash, a Secret: see {@link LocalSecrets}).
     */
    static NodeSettings nodeSettings(SocketFleet fleet) {
        return fleet.getSpec().getAdminUi().addTo(fleet.getSpec().nodeSettings());
    }

    /**
     * @param running the fleet being run (valid)
     * @param edit    the file as edited since the last plan, or null when it did not change
     * @param nodes   every slot in use: live nodes, nodes that exited since the last plan, crashed slots
     * @param nginx   the routing nginx runs now
     * @param now     epoch millis
     */
    static LocalPlan plan(SocketFleet running, SocketFleet edit, List<NodeView> nodes, Routing nginx, long now) {
        List<String> rejected = edit == null ? List.of() : FleetValidator.validate(edit);
        SocketFleet fleet = edit != null && rejected.isEmpty() ? edit : running;
        int replicas = fleet.getSpec().getReplicas();
        NodeSettings wanted = nodeSettings(fleet);
        List<LocalAction> actions = new ArrayList<>();

        // What ended since the last plan: drained nodes free their slot, a crash holds it for a restart.
        List<NodeView> live = new ArrayList<>();
        List<NodeView> crashed = new ArrayList<>();
        List<NodeView> draining = new ArrayList<>();
        for (NodeView node : nodes) {
            switch (node.phase()) {
                case STARTING, READY -> live.add(node);
                case DRAINING -> draining.add(node);
                case STOPPED -> actions.add(new Stopped(node.slot()));
                case CRASHED -> crashed.add(node);
                case EXITED -> {
                    Backoff crashes = node.crashes().failed(now, node.readySince());
                    actions.add(new Died(node.slot(), node.exit(), crashes));
                    crashed.add(NodeView.crashed(node.slot(), crashes));
                }
            }
        }
        List<NodeView> current = live.stream().filter(n -> n.settings().equals(wanted)).toList();
        List<NodeView> outdated = live.stream().filter(n -> !n.settings().equals(wanted)).toList();

        // A crashed slot is restarted only while the fleet still wants it (highest slots go first).
        crashed.sort(Comparator.comparingInt(NodeView::slot));
        while (!crashed.isEmpty() && current.size() + crashed.size() > replicas) {
            actions.add(new Forget(crashed.remove(crashed.size() - 1).slot()));
        }
        for (NodeView slot : crashed) {
            if (slot.crashes().due(now)) {
                actions.add(new Start(slot.slot(), slot.crashes()));
            }
        }

        // New nodes up to spec.replicas, and at most one beyond it in all while old-settings nodes remain.
        Set<Integer> taken = new HashSet<>();
        nodes.stream().filter(n -> !n.is(Phase.STOPPED)).forEach(n -> taken.add(n.slot()));
        int total = current.size() + outdated.size() + crashed.size();
        int starts = Math.min(replicas - current.size() - crashed.size(), replicas + 1 - total);
        int unplaced = 0;
        for (int i = 0, slot = 0; i < starts; i++) {
            while (slot < MAX_SLOTS && taken.contains(slot)) {
                slot++;
            }
            if (slot == MAX_SLOTS) {
                unplaced = starts - i;
                break;
            }
            actions.add(new Start(slot, Backoff.NONE));
            taken.add(slot);
        }

        // Surplus nodes with the file's settings leave: starting ones first, then the emptiest, then the highest slots.
        Set<Integer> drained = new HashSet<>();
        int ready = (int) live.stream().filter(n -> n.is(Phase.READY)).count();
        List<NodeView> surplus = current.stream()
                .sorted(Comparator.comparing((NodeView n) -> n.is(Phase.READY)).thenComparingInt(NodeView::sessions)
                        .thenComparing(NodeView::slot, Comparator.reverseOrder()))
                .limit(Math.max(0, current.size() - replicas)).toList();
        for (NodeView node : surplus) {
            actions.add(new Drain(node.slot(), Drain.Why.SCALED_DOWN));
            drained.add(node.slot());
            ready -= node.is(Phase.READY) ? 1 : 0;
        }
        // Old-settings nodes: a starting one leaves at once, a ready one only while spec.replicas stay ready without it.
        List<NodeView> old = outdated.stream()
                .sorted(Comparator.comparing((NodeView n) -> n.is(Phase.READY)).thenComparing(NodeView::slot, Comparator.reverseOrder()))
                .toList();
        for (NodeView node : old) {
            if (node.is(Phase.READY) && ready - 1 < replicas) {
                break;
            }
            actions.add(new Drain(node.slot(), Drain.Why.OLD_SETTINGS));
            drained.add(node.slot());
            ready -= node.is(Phase.READY) ? 1 : 0;
        }

        // nginx lists the ready nodes that stay; the draining ones still own the sessions they are closing.
        List<Backend> serving = live.stream().filter(n -> n.is(Phase.READY) && !drained.contains(n.slot()))
                .map(n -> backend(fleet, n)).toList();
        List<Backend> leaving = new ArrayList<>(draining.stream().map(n -> backend(fleet, n)).toList());
        live.stream().filter(n -> drained.contains(n.slot())).map(n -> backend(fleet, n)).forEach(leaving::add);
        Routing routing = new Routing(serving, leaving);
        if (!routing.equals(nginx)) {
            actions.add(new Reload(nginx, routing));
        }
        return new LocalPlan(fleet, rejected, List.copyOf(actions), unplaced);
    }

    private static Backend backend(SocketFleet fleet, NodeView node) {
        return new Backend(nodeName(fleet, node.slot()), address(node.slot()), LocalNode.port(node.settings()));
    }
}
