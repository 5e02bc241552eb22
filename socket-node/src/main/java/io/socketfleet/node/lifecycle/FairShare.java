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
 * @param share     sessions per ready node
 * @param allowed   the most this node may hold
 * @param excess    sessions above {@code allowed} (0 when within it)
 */
public record FairShare(double share, int allowed, int excess) {

    static final FairShare NONE = new FairShare(0, Integer.MAX_VALUE, 0);
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
        return new FairShare(share, allowed, Math.max(0, mine - allowed));
    }

    public boolean over() {
        return excess > 0;
    }
}
