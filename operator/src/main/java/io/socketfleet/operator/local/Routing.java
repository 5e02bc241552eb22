package io.socketfleet.operator.local;

import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.UpstreamChange;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What nginx is told about the nodes: the ready ones take new connections; the draining ones
 * only still own the sessions they are closing (they stay in the sid map, out of the upstream).
 */
record Routing(List<Backend> serving, List<Backend> draining) {

    static final Routing EMPTY = new Routing(List.of(), List.of());

    Routing {
        serving = List.copyOf(new TreeSet<>(serving));
        draining = List.copyOf(new TreeSet<>(draining.stream().map(Backend::asDraining).toList()));
    }

    /** Every node nginx routes to, for the renderer. */
    List<Backend> backends() {
        List<Backend> all = new ArrayList<>(serving);
        all.addAll(draining);
        return all;
    }

    /** The change of the serving set as one console line, or null when it is the same. */
    String servingChangeFrom(Routing before) {
        return UpstreamChange.describe(before.serving, serving);
    }
}
