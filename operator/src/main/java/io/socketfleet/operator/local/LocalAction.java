package io.socketfleet.operator.local;

/** One step of a {@link LocalPlan}, carried out by {@link LocalFleet} through {@link Effects}. */
sealed interface LocalAction {

    /** Hands the step to the matching method. */
    void on(Effects effects);

    /** Whoever carries out plans: one method per kind of step. */
    interface Effects {
        void start(Start start);

        void drain(Drain drain);

        void stopped(Stopped stopped);

        void died(Died died);

        void forget(Forget forget);

        void reload(Reload reload);
    }

    /** Start a node with the file's settings in this slot; it carries its crash count so far. */
    record Start(int slot, Backoff crashes) implements LocalAction {
        public void on(Effects effects) {
            effects.start(this);
        }
    }

    /** SIGTERM a node: it leaves nginx and closes its sessions over its drain period. */
    record Drain(int slot, Why why) implements LocalAction {
        enum Why { SCALED_DOWN, OLD_SETTINGS }

        public void on(Effects effects) {
            effects.drain(this);
        }
    }

    /** A drained node exited; forget it. */
    record Stopped(int slot) implements LocalAction {
        public void on(Effects effects) {
            effects.stopped(this);
        }
    }

    /** A node exited unasked; restart it in its slot once {@code crashes} allows. */
    record Died(int slot, String exit, Backoff crashes) implements LocalAction {
        public void on(Effects effects) {
            effects.died(this);
        }
    }

    /** A crashed node's slot is no longer wanted (the fleet was scaled down); do not restart it. */
    record Forget(int slot) implements LocalAction {
        public void on(Effects effects) {
            effects.forget(this);
        }
    }

    /** Give nginx this routing, reloading it in place. */
    record Reload(Routing before, Routing after) implements LocalAction {
        public void on(Effects effects) {
            effects.reload(this);
        }
    }
}
