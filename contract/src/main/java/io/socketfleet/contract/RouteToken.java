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

    public static String of(HostPort address) {
        try {
            // An IP literal: getByName parses it and asks no resolver.
            byte[] bytes = InetAddress.getByName(address.host()).getAddress();
            return HexFormat.of().formatHex(bytes) + String.format("%04x", address.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address.host() + "' is not an IP literal", e);
        }
    }
}
