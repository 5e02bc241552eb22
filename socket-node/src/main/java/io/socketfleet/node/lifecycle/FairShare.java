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
 * <p>The other nodes count with what they gained in their last second, as they may hold that much
 * more by now: while clients pour in (thousands connecting at once), every node reads the others'
 * counts up to a second old and sees itself ahead of them — it shed clients it should have kept,
 * and refused them all at once (nginx then answers 503). A loss is not projected: the clients a
 * node sheds are on no node until they reconnect (seconds, tens of seconds on a loaded machine),
 * and counting them out early lowered every share further, so the busy nodes shed far past it
 * (3,000 clients, 3 → 4 nodes: 2,895 closes where 600 would do). For the same reason the
 * {@link Rebalancer} hands in the largest total of the last 30 s, so clients on their way count
 * (at the price of a slower tail: a total counted high by a gain stands for those 30 s).
 *
 * <p>A node above its limit also turns new handshakes away (503, which nginx hands to the next
 * node on its ring) — but only while another node below the limit is growing, that is while the
 * load balancer evidently reaches a node with room: a node just started and not yet in nginx's
 * upstream takes none, and refusing before then would leave a client no node at all. A node starts
 * refusing only when it looks, not as its own live count passes a limit that stands still until its
 * next look.
 *
 * @param share         sessions per ready node
 * @param allowed       the most this node may hold
 * @param excess        sessions above {@code allowed} (0 when within it)
 * @param refusesFrom   from how many sessions on this node turns new handshakes away ({@code Integer.MAX_VALUE}: never)
 */
public record FairShare(double share, int allowed, int excess, int refusesFrom) {

    static final FairShare NONE = new FairShare(0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
    static final int MIN_SLACK = 50;

    /**
     * @param self             this node's name in {@code fleet}
     * @param mine             this node's sessions now
     * @param fleet            every node's last published load, this node's included
     * @param tolerancePercent how far above the share a node may go before it sheds
     */
    static FairShare of(String self, int mine, Map<String, NodeLoad> fleet, int tolerancePercent) {
        return of(self, mine, fleet, tolerancePercent, 0);
    }

    /**
     * As {@link #of(String, int, Map, int)}, counting at least {@code recentTotal} sessions in the fleet:
     * its largest total of late, so clients away between two nodes (shed, reconnecting) still count.
     */
    static FairShare of(String self, int mine, Map<String, NodeLoad> fleet, int tolerancePercent, long recentTotal) {
        NodeLoad own = fleet.get(self);
        if (own != null && own.draining()) {
            return NONE;
        }
        int ready = 1;
        for (Map.Entry<String, NodeLoad> node : fleet.entrySet()) {
            if (!node.getKey().equals(self)) {
                ready += node.getValue().draining() ? 0 : 1;
            }
        }
        if (ready < 2) {
            return NONE;
        }
        double share = (double) Math.max(total(self, mine, fleet), recentTotal) / ready;
        int allowed = (int) Math.max(Math.floor(share * (1 + tolerancePercent / 100.0)), Math.ceil(share) + MIN_SLACK);
        boolean roomElsewhere = false;
        for (Map.Entry<String, NodeLoad> node : fleet.entrySet()) {
            NodeLoad load = node.getValue();
            roomElsewhere |= !node.getKey().equals(self) && !load.draining() && load.change() > 0
                    && load.sessions() + load.change() < allowed;
        }
        boolean refusing = roomElsewhere && mine >= allowed;
        return new FairShare(share, allowed, Math.max(0, mine - allowed), refusing ? allowed : Integer.MAX_VALUE);
    }

    /** The fleet's sessions as this node sees them now: its own, and every other node's with its last change. */
    static long total(String self, int mine, Map<String, NodeLoad> fleet) {
        long total = mine;
        for (Map.Entry<String, NodeLoad> node : fleet.entrySet()) {
            if (!node.getKey().equals(self)) {
                // Only a gain: a node losing sessions (shedding) lost them to clients on their way elsewhere, counted nowhere yet.
            total += node.getValue().sessions() + Math.max(0, node.getValue().change());
            }
        }
        return total;
    }

    public boolean over() {
        return excess > 0;
    }

    /** Whether a node holding {@code sessions} now should turn a new handshake away: one more would be one to shed. */
    public boolean refuses(int sessions) {
        return sessions >= refusesFrom;
    }
}
