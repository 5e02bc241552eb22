package io.socketfleet.contract;

import java.util.Comparator;

/**
 * Where a node is reached: an IP address literal (v4 or v6) and a port, written "10.244.0.17:3000"
 * or "[fd00::17]:3000". Host names are refused: the route token must be the same on the node and
 * in nginx, and nginx must never resolve what it routes to.
 */
public record HostPort(String host, int port) implements Comparable<HostPort> {

    private static final Comparator<HostPort> ORDER = Comparator.comparing(HostPort::host).thenComparingInt(HostPort::port);

    public HostPort {
        if (host == null || !isIpLiteral(host)) {
            throw new IllegalArgumentException("'" + host + "' is not an IP literal");
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses "IP:PORT" or "[IPv6]:PORT". */
    public static HostPort parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected IP:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
    }

    /** A dotted IPv4 address or a (possibly compressed) IPv6 address, without brackets. */
    public static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-fA-F:.]+"));
    }

    /** The host as it goes before ":port" in a URL or nginx: IPv6 in brackets. */
    public String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The prefix of every Engine.IO session id the node at this address issues. */
    public String routeToken() {
        return RouteToken.of(this);
    }

    @Override
    public String toString() {
        return hostForUrl() + ":" + port;
    }

    @Override
    public int compareTo(HostPort other) {
        return ORDER.compare(this, other);
    }
}
