package io.socketfleet.contract;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The route token of a node: lowercase hex of its IP address bytes followed by its port
 * as four hex digits ({@code 10.244.0.17:3000 -> 0af400110bb8}). Engine.IO session ids
 * start with it so nginx can send every request of a session to the node that owns it.
 * The operator computes the same token for each backend; both sides share this contract.
 */
public final class RouteToken {

    private RouteToken() {
    }

    public static String of(InetAddress address, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return HexFormat.of().formatHex(address.getAddress()) + String.format("%04x", port);
    }

    /** The token of an IP address literal (v4 or v6, no brackets) and a port. */
    public static String of(String ipLiteral, int port) {
        if (!isIpLiteral(ipLiteral)) {
            throw new IllegalArgumentException("'" + ipLiteral + "' is not an IP address literal");
        }
        try {
            return of(InetAddress.getByName(ipLiteral), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ipLiteral + "' is not an IP address literal");
        }
    }

    /**
     * Parses "HOST:PORT" or "[IPv6]:PORT" where HOST is an IP literal; a host name is
     * refused because the token must be stable and match what the operator renders.
     */
    public static String of(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostAndPort + "'");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostAndPort + "'");
        }
        return of(host, port);
    }

    public static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-fA-F:.]+"));
    }
}
