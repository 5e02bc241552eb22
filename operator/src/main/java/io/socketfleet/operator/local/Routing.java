package io.socketfleet.operator.local;

import io.socketfleet.operator.nginx.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
        Set<String> was = labels(before.serving);
        Set<String> now = labels(serving);
        if (was.equals(now)) {
            return null;
        }
        Set<String> added = new TreeSet<>(now);
        added.removeAll(was);
        Set<String> removed = new TreeSet<>(was);
        removed.removeAll(now);
        StringBuilder line = new StringBuilder("ready backends ").append(was.size()).append(" -> ").append(now.size());
        if (!added.isEmpty()) {
            line.append("; added ").append(String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            line.append("; removed ").append(String.join(", ", removed));
        }
        return line.toString();
    }

    private static Set<String> labels(List<Backend> backends) {
        return backends.stream().map(b -> b.address() + " (" + b.name() + ")").collect(Collectors.toCollection(TreeSet::new));
    }
}
