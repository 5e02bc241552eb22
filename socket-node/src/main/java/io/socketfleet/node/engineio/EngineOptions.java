package io.socketfleet.node.engineio;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Engine.IO settings, immutable, filled once from the command line.
 *
 * @param pingInterval            how often the server pings (socket.io default 25 s)
 * @param pingTimeout             how long a pong may take before the session is closed (default 20 s)
 * @param maxPayload              largest packet or polling body accepted, in bytes (default 1,000,000)
 * @param upgradeTimeout          how long a websocket arriving for a polling session may take to probe (default 10 s)
 * @param maxBufferedBytes        bytes queued for one slow client before it is dropped
 * @param maxConnections          open sessions beyond which new handshakes get 503
 * @param corsOrigins             origins allowed cross-origin ("*" for any); empty means same-origin only
 * @param handshakeHeaders        request headers a session keeps for the application (lower case); the
 *                                rest of the handshake request is not held in memory
 * @param maxHandshakesPerAddress sessions one client address may hold before joining a namespace; 0 for no limit
 * @param trustProxyHeaders       take the client address from {@code X-Real-IP} or the last
 *                                {@code X-Forwarded-For} entry (set by the proxy in front) rather than the peer
 * @param transport               the endpoint's path, its transports, upgrades and compression
 */
public record EngineOptions(Duration pingInterval, Duration pingTimeout, int maxPayload,
                            Duration upgradeTimeout, long maxBufferedBytes, int maxConnections,
                            List<String> corsOrigins, List<String> handshakeHeaders,
                            int maxHandshakesPerAddress, boolean trustProxyHeaders, TransportOptions transport) {

    /** What applications ask a handshake for: who is calling, from where, with which credentials. */
    public static final List<String> DEFAULT_HANDSHAKE_HEADERS = List.of("host", "origin", "referer", "user-agent",
            "accept-language", "cookie", "authorization", "x-forwarded-for", "x-forwarded-proto", "x-real-ip");

    public EngineOptions {
        Objects.requireNonNull(pingInterval);
        Objects.requireNonNull(pingTimeout);
        Objects.requireNonNull(upgradeTimeout);
        Objects.requireNonNull(transport);
        corsOrigins = List.copyOf(corsOrigins);
        handshakeHeaders = handshakeHeaders.stream().map(name -> name.trim().toLowerCase(Locale.ROOT))
                .filter(name -> !name.isEmpty()).distinct().toList();
        if (maxPayload <= 0 || maxBufferedBytes <= 0 || maxConnections <= 0 || maxHandshakesPerAddress < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(Duration.ofSeconds(25), Duration.ofSeconds(20), 1_000_000,
                Duration.ofSeconds(10), 4L * 1024 * 1024, 100_000, List.of(), DEFAULT_HANDSHAKE_HEADERS, 0, false,
                TransportOptions.defaults());
    }

    public EngineOptions withPing(Duration interval, Duration timeout) {
        return new EngineOptions(interval, timeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    public EngineOptions withMaxConnections(int max) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, max,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    public EngineOptions withMaxBufferedBytes(long max) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, max, maxConnections,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    public EngineOptions withMaxPayload(int max) {
        return new EngineOptions(pingInterval, pingTimeout, max, upgradeTimeout, maxBufferedBytes, maxConnections,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    public EngineOptions withCorsOrigins(List<String> origins) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections,
                origins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    public EngineOptions withHandshakeHeaders(List<String> headers) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections,
                corsOrigins, headers, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    /** Caps sessions per client address that have not joined a namespace yet (0: no cap). */
    public EngineOptions withHandshakeLimit(int perAddress, boolean trustProxyHeaders) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections,
                corsOrigins, handshakeHeaders, perAddress, trustProxyHeaders, transport);
    }

    /** How long a polling→websocket upgrade may take before it is abandoned (engine.io's upgradeTimeout). */
    public EngineOptions withUpgradeTimeout(Duration timeout) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, timeout, maxBufferedBytes, maxConnections,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }

    /** The endpoint's path, transports, upgrades and compression. */
    public EngineOptions withTransport(TransportOptions transport) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections,
                corsOrigins, handshakeHeaders, maxHandshakesPerAddress, trustProxyHeaders, transport);
    }
}
