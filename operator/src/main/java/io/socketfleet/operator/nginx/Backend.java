package io.socketfleet.operator.nginx;

import io.socketfleet.contract.HostPort;

import java.util.Comparator;
import java.util.Objects;

/**
 * A socket-node as nginx sees it: where it is reached (the pod name only labels it).
 * Addresses always come from the cluster (EndpointSlices) or from local mode, never from clients.
 *
 * <p>A ready node takes new connections and routes its existing sessions. A <em>draining</em>
 * node (terminating but still serving) only routes its existing sessions: it stays in the sid
 * map, so its polling and upgrading clients keep reaching it until it closes their sessions, and
 * leaves the upstream that spreads new connections.
 */
public record Backend(String name, HostPort hostPort, boolean draining) implements Comparable<Backend> {

    private static final Comparator<Backend> ORDER = Comparator.comparing(Backend::hostPort)
            .thenComparing(Backend::name).thenComparing(Backend::draining);

    /** A ready node. */
    public Backend(String name, String ip, int port) {
        this(name, new HostPort(ip, port), false);
    }

    public Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostPort, "hostPort");
    }

    /** A ready node at "IP:PORT" or "[IPv6]:PORT". */
    public static Backend parse(String name, String address) {
        return new Backend(name, HostPort.parse(address), false);
    }

    /** The same node, draining: it keeps its sessions but takes no new connections. */
    public Backend asDraining() {
        return new Backend(name, hostPort, true);
    }

    /** "10.0.0.1:3000", or "[fd00::1]:3000" for IPv6, as nginx writes addresses. */
    public String address() {
        return hostPort.toString();
    }

    /** The prefix of every Engine.IO session id this node issues. */
    public String routeToken() {
        return hostPort.routeToken();
    }

    @Override
    public int compareTo(Backend other) {
        return ORDER.compare(this, other);
    }
}
