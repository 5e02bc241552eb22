package io.socketfleet.node.engineio;

import io.netty.handler.codec.http.HttpHeaders;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The address a request comes from: the peer's IP, or what a trusted proxy in front says it is. */
final class ClientAddress {

    private ClientAddress() {
    }

    /**
     * With {@code trustProxyHeaders}, {@code X-Real-IP} or else the last {@code X-Forwarded-For}
     * entry: the one the proxy itself appended (earlier entries come from the client and prove nothing).
     */
    static String of(SocketAddress peer, HttpHeaders headers, boolean trustProxyHeaders) {
        if (trustProxyHeaders) {
            String realIp = headers.get("X-Real-IP");
            if (realIp != null && !realIp.isBlank()) {
                return realIp.trim();
            }
            String forwarded = headers.get("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
            }
        }
        return bareIp(peer);
    }

    /** "127.0.0.1" or "::1", no slash, no port; empty when unknown. */
    static String bareIp(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "";
    }
}
