package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * What a socket connected with (socket.io's {@code socket.handshake}): the auth payload of its
 * CONNECT packet, and the headers (those the node keeps, see {@code --handshake-headers}), query,
 * URL and client address of the Engine.IO handshake request. The address is the bare IP
 * ("127.0.0.1", "::1"), as in socket.io; with {@code --trust-proxy-headers} it is the address the
 * proxy in front reports. {@code secure} says whether this node's connection was encrypted (behind
 * a proxy that ends TLS it is not); {@code xdomain} whether the request carried an Origin header.
 * {@code issued} is when the socket was created, as {@link #time()} in socket.io's text form.
 */
public record Handshake(JsonNode auth, HttpHeaders headers, Map<String, List<String>> query,
                        String address, Instant issued, String url, boolean secure, boolean xdomain) {

    /**
     * The auth of a CONNECT that carried none: {@code {}}, one read-only object shared by every such
     * socket rather than an empty map each.
     */
    public static final JsonNode NO_AUTH = new ObjectNode(JsonNodeFactory.instance, Map.of());

    /** JavaScript's {@code Date.toString()} shape, e.g. "Thu Nov 26 2026 18:10:26 GMT+0000 (Coordinated Universal Time)". */
    private static final DateTimeFormatter JS_DATE = DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT'xx", Locale.ENGLISH);

    /** When the socket was created, in the text form socket.io's {@code handshake.time} has. */
    public String time() {
        ZoneId zone = ZoneId.systemDefault();
        var local = issued.atZone(zone);
        boolean daylight = zone.getRules().isDaylightSavings(issued);
        String zoneName = TimeZone.getTimeZone(zone).getDisplayName(daylight, TimeZone.LONG, Locale.ENGLISH);
        return JS_DATE.format(local) + " (" + zoneName + ")";
    }

    /** Milliseconds since the epoch at creation (socket.io's {@code handshake.issued}). */
    public long issuedMillis() {
        return issued.toEpochMilli();
    }
}
