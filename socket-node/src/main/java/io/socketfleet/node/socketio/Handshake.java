package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a socket connected with: the auth payload of its CONNECT packet, and the headers (those
 * the node keeps, see {@code --handshake-headers}), query and client address of the Engine.IO
 * handshake request. The address is the bare IP ("127.0.0.1", "::1"), as in socket.io; with
 * {@code --trust-proxy-headers} it is the address the proxy in front reports.
 */
public record Handshake(JsonNode auth, HttpHeaders headers, Map<String, List<String>> query,
                        String address, Instant issued) {
}
