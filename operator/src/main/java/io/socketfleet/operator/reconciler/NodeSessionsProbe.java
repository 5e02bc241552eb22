package io.socketfleet.operator.reconciler;

import java.util.List;
import java.util.Optional;

/** Asks the ready socket-nodes how many Engine.IO sessions each has open. */
public interface NodeSessionsProbe {

    /**
     * The sessions of each node at these addresses ({@code IP:port}), in the same order; empty
     * for a node that did not answer in time.
     */
    List<Optional<Integer>> sessions(List<String> addresses);
}
