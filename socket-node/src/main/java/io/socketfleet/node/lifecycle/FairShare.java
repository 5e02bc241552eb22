package io.socketfleet.node.lifecycle;

import java.util.Map;

/**
 * Whether a node holds more than its fair share of the fleet's sessions, and how many it should
 * hand over. The share is every session in the fleet (draining nodes' too: they are about to
 * move) divided by the nodes that take new ones; a node may hold up to the share times
 * {@code 1 + tolerance}, and at least {@value #MIN_SLACK} sessions above the share: the consistent
 * hash leaves small fleets that far apart by chance (100 clients on 3 nodes: 40/30/30), and
 * moving a few dozen sessions is not worth their reconnects.
 *
 * <p>A node above {@code allowed} also turns new handshakes away (503, which nginx hands to the
 * next node on its ring) — but only while another node below {@code allowed} is taking new
 * sessions, that is while the load balancer evidently reaches a node with room: a node just
 * started and not yet in nginx's upstream takes none, and refusing before then would leave a
 * client no node at all.
 *
 * @param share          sessions per ready node
 * @param allowed        the most this node may hold
 * @param excess         sessions above {@code allowed} (0 when within it)
 * @param roomElsewhere  whether another node below {@code allowed} took new sessions in its last second
 */
public record FairShare(double share, int allowed, int excess, boolean roomElsewhere) {

    static final FairShare NONE = new FairShare(0, Integer.MAX_VALUE, 0, false);
    static final int MIN_SLACK = 50;

    /**
     * @param self             this node's name in {@code fleet}
     * @param mine             this node's sessions now
     * @param fleet            every node's last published load, this node's included
     * @param tolerancePercent how far above the share a node may go before it sheds
     */
    static FairShare of(String self, int mine, Map<String, NodeLoad> fleet, int tolerancePercent) {
        NodeLoad own = fleet.get(self);
        if (own != null && own.draining()) {
            return NONE;
        }
        long total = mine;
        int ready = 1;
        for (Map.Entry<String, NodeLoad> node : fleet.entrySet()) {
            if (node.getKey().equals(self)) {
                continue;
            }
            total += node.getValue().sessions();
            ready += node.getValue().draining() ? 0 : 1;
        }
        if (ready < 2) {
            return NONE;
        }
        double share = (double) total / ready;
        int allowed = (int) Math.max(Math.floor(share * (1 + tolerancePercent / 100.0)), Math.ceil(share) + MIN_SLACK);
        boolean roomElsewhere = false;
        for (Map.Entry<String, NodeLoad> node : fleet.entrySet()) {
            NodeLoad load = node.getValue();
            roomElsewhere |= !node.getKey().equals(self) && load.taking() && !load.draining() && load.sessions() < allowed;
        }
        return new FairShare(share, allowed, Math.max(0, mine - allowed), roomElsewhere);
    }

    public boolean over() {
        return excess > 0;
    }

    /** Whether a node holding {@code sessions} now should turn a new handshake away: one more would be one to shed. */
    public boolean refuses(int sessions) {
        return roomElsewhere && sessions >= allowed;
    }
}
