package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a socket connected with: the auth payload of its CONNECT packet, and the headers,
 * query and peer address of the Engine.IO handshake request.
 */
public record Handshake(JsonNode auth, HttpHeaders headers, Map<String, List<String>> query,
                        String address, Instant issued) {
}
