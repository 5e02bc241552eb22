package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSettings;

/**
 * What the supervisor knows about one node slot when it plans: the facts, no process.
 *
 * @param slot       the node's place: its address is {@link LocalPlan#address(int)}, its name derives from it
 * @param phase      where the node is in its life
 * @param settings   what the node runs with (null for a slot waiting to restart, which gets the file's settings)
 * @param crashes    its consecutive crashes and, while {@link Phase#CRASHED}, when it may restart
 * @param readySince epoch millis since it has been ready without a break, or -1
 * @param exit       how an {@link Phase#EXITED} node ended ("exit 137", or why it could not start)
 * @param sessions   its open sessions when last asked (0 when unknown): a scale-down drains the emptiest first
 */
record NodeView(int slot, Phase phase, NodeSettings settings, Backoff crashes, long readySince, String exit, int sessions) {

    enum Phase {
        /** Running, not ready yet: not in nginx. */
        STARTING,
        /** Answering /readyz: listed in nginx. */
        READY,
        /** Asked to stop: refuses new sessions, closes its open ones over its drain period. */
        DRAINING,
        /** Exited after draining, as asked: its slot is free again. */
        STOPPED,
        /** Exited without being asked, or failed to start: a crash to restart with backoff. */
        EXITED,
        /** A crashed node's slot, waiting for its backoff before the node starts again there. */
        CRASHED
    }

    static NodeView starting(int slot, NodeSettings settings, Backoff crashes) {
        return new NodeView(slot, Phase.STARTING, settings, crashes, -1, null, 0);
    }

    static NodeView ready(int slot, NodeSettings settings, Backoff crashes, long readySince) {
        return new NodeView(slot, Phase.READY, settings, crashes, readySince, null, 0);
    }

    static NodeView draining(int slot, NodeSettings settings) {
        return new NodeView(slot, Phase.DRAINING, settings, Backoff.NONE, -1, null, 0);
    }

    static NodeView stopped(int slot, NodeSettings settings) {
        return new NodeView(slot, Phase.STOPPED, settings, Backoff.NONE, -1, null, 0);
    }

    static NodeView exited(int slot, NodeSettings settings, Backoff crashes, long readySince, String exit) {
        return new NodeView(slot, Phase.EXITED, settings, crashes, readySince, exit, 0);
    }

    static NodeView crashed(int slot, Backoff crashes) {
        return new NodeView(slot, Phase.CRASHED, null, crashes, -1, null, 0);
    }

    NodeView withSessions(int count) {
        return new NodeView(slot, phase, settings, crashes, readySince, exit, count);
    }

    boolean is(Phase p) {
        return phase == p;
    }
}
