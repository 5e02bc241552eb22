package io.socketfleet.node.engineio;

import java.util.List;
import java.util.Objects;

/**
 * Where the Engine.IO endpoint lives and which transports it offers, with engine.io 6's defaults.
 *
 * @param path                     the endpoint's path ({@code /socket.io}; requests under {@code path + "/"} are served)
 * @param transports               transports a client may use ({@code polling}, {@code websocket}); others get
 *                                 "Transport unknown"
 * @param allowUpgrades            whether a polling session may move to a websocket
 * @param httpCompressionThreshold a polling response at least this long (bytes) is gzip/deflate compressed when
 *                                 the client accepts it (engine.io's {@code httpCompression.threshold}, 1024);
 *                                 negative turns HTTP compression off
 * @param perMessageDeflate        whether websockets negotiate permessage-deflate (off by default, as in engine.io);
 *                                 messages under 1024 bytes are sent uncompressed, as {@code ws} does
 * @param cookie                   the cookie a polling handshake sets to the session id (engine.io's
 *                                 {@code cookie}); null for none, the default
 */
public record TransportOptions(String path, List<String> transports, boolean allowUpgrades,
                               int httpCompressionThreshold, boolean perMessageDeflate, SessionCookie cookie) {

    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";
    /** engine.io's {@code perMessageDeflate.threshold} default: smaller messages are not worth compressing. */
    public static final int PER_MESSAGE_DEFLATE_THRESHOLD = 1024;

    public TransportOptions {
        Objects.requireNonNull(path);
        // As socket.io: a trailing slash is dropped, the endpoint is what follows it.
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path starts with '/': " + path);
        }
        transports = List.copyOf(transports);
        if (transports.isEmpty() || !List.of(POLLING, WEBSOCKET).containsAll(transports)) {
            throw new IllegalArgumentException("transports are 'polling' and/or 'websocket': " + transports);
        }
    }

    public TransportOptions(String path, List<String> transports, boolean allowUpgrades, int httpCompressionThreshold,
                            boolean perMessageDeflate) {
        this(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, null);
    }

    public static TransportOptions defaults() {
        return new TransportOptions("/socket.io", List.of(POLLING, WEBSOCKET), true, 1024, false);
    }

    /** The prefix every Engine.IO request's path starts with, e.g. {@code /socket.io/}. */
    public String endpointPrefix() {
        return path + "/";
    }

    public boolean offers(String transport) {
        return transports.contains(transport);
    }

    /** What a session opened on {@code transport} may upgrade to (the open packet's {@code upgrades}). */
    public List<String> upgradesFrom(String transport) {
        return allowUpgrades && POLLING.equals(transport) && offers(WEBSOCKET) ? List.of(WEBSOCKET) : List.of();
    }

    public TransportOptions withPath(String path) {
        return new TransportOptions(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, cookie);
    }

    public TransportOptions withTransports(List<String> transports) {
        return new TransportOptions(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, cookie);
    }

    public TransportOptions withAllowUpgrades(boolean allowUpgrades) {
        return new TransportOptions(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, cookie);
    }

    /** Compress polling responses from this many bytes on; negative: never. */
    public TransportOptions withHttpCompressionThreshold(int threshold) {
        return new TransportOptions(path, transports, allowUpgrades, threshold, perMessageDeflate, cookie);
    }

    /** Polling handshakes set this cookie to the session id; null: none. */
    public TransportOptions withCookie(SessionCookie cookie) {
        return new TransportOptions(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, cookie);
    }

    public TransportOptions withPerMessageDeflate(boolean perMessageDeflate) {
        return new TransportOptions(path, transports, allowUpgrades, httpCompressionThreshold, perMessageDeflate, cookie);
    }
}
