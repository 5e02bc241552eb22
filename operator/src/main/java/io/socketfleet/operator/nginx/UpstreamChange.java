package io.socketfleet.operator.nginx;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** How the set of nodes taking new connections changed, in one line for logs, Events and the console. */
public final class UpstreamChange {

    private UpstreamChange() {
    }

    /** "ready backends 2 -> 3; added 10.0.0.3:3000 (chat-node-c)", or null when the sets are equal. */
    public static String describe(Collection<Backend> before, Collection<Backend> after) {
        Set<String> was = labels(before);
        Set<String> now = labels(after);
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

    private static Set<String> labels(Collection<Backend> backends) {
        return backends.stream().map(b -> b.address() + " (" + b.name() + ")").collect(Collectors.toCollection(TreeSet::new));
    }
}
