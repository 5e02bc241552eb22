package io.socketfleet.operator.nginx;

import io.socketfleet.contract.RouteToken;

import java.util.Comparator;
import java.util.Objects;

/**
 * A socket-node as nginx sees it: an IP literal and a port (the pod name only labels it).
 * Addresses always come from the cluster (EndpointSlices) or from local mode, never from clients.
 *
 * <p>A ready node takes new connections and routes its existing sessions. A <em>draining</em>
 * node (terminating but still serving) only routes its existing sessions: it stays in the sid
 * map, so its polling and upgrading clients keep reaching it until it closes their sessions, and
 * leaves the upstream that spreads new connections.
 */
public record Backend(String name, String ip, int port, boolean draining) implements Comparable<Backend> {

    private static final Comparator<Backend> ORDER = Comparator.comparing(Backend::ip).thenComparingInt(Backend::port)
            .thenComparing(Backend::name).thenComparing(Backend::draining);

    /** A ready node. */
    public Backend(String name, String ip, int port) {
        this(name, ip, port, false);
    }

    public Backend {
        Objects.requireNonNull(name, "name");
        if (!RouteToken.isIpLiteral(ip)) {
            throw new IllegalArgumentException("backend address must be an IP literal: " + ip);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("backend port out of range: " + port);
        }
    }

    /** Parses "IP:PORT" or "[IPv6]:PORT". */
    public static Backend parse(String name, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected IP:PORT, got '" + address + "'");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Backend(name, host, Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + address + "'");
        }
    }

    /** The same node, draining: it keeps its sessions but takes no new connections. */
    public Backend asDraining() {
        return new Backend(name, ip, port, true);
    }

    /** "10.0.0.1:3000", or "[fd00::1]:3000" for IPv6, as nginx writes addresses. */
    public String address() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** The prefix of every Engine.IO session id this node issues. */
    public String routeToken() {
        return RouteToken.of(ip, port);
    }

    @Override
    public int compareTo(Backend other) {
        return ORDER.compare(this, other);
    }
}
