package io.socketfleet.node.engineio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Engine.IO settings, immutable, filled once from the command line.
 *
 * @param pingInterval      how often the server pings (socket.io default 25 s)
 * @param pingTimeout       how long a pong may take before the session is closed (default 20 s)
 * @param maxPayload        largest packet or polling body accepted, in bytes (default 1,000,000)
 * @param upgradeTimeout    how long a polling→websocket upgrade may take (default 10 s)
 * @param maxBufferedBytes  bytes queued for one slow client before it is dropped
 * @param maxConnections    open sessions beyond which new handshakes get 503
 * @param corsOrigins       origins allowed cross-origin ("*" for any); empty means same-origin only
 */
public record EngineOptions(Duration pingInterval, Duration pingTimeout, int maxPayload,
                            Duration upgradeTimeout, long maxBufferedBytes, int maxConnections,
                            List<String> corsOrigins) {

    public EngineOptions {
        Objects.requireNonNull(pingInterval);
        Objects.requireNonNull(pingTimeout);
        Objects.requireNonNull(upgradeTimeout);
        corsOrigins = List.copyOf(corsOrigins);
        if (maxPayload <= 0 || maxBufferedBytes <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(Duration.ofSeconds(25), Duration.ofSeconds(20), 1_000_000,
                Duration.ofSeconds(10), 4L * 1024 * 1024, 100_000, List.of());
    }

    public EngineOptions withPing(Duration interval, Duration timeout) {
        return new EngineOptions(interval, timeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections, corsOrigins);
    }

    public EngineOptions withMaxConnections(int max) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, max, corsOrigins);
    }

    public EngineOptions withMaxBufferedBytes(long max) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, max, maxConnections, corsOrigins);
    }

    public EngineOptions withMaxPayload(int max) {
        return new EngineOptions(pingInterval, pingTimeout, max, upgradeTimeout, maxBufferedBytes, maxConnections, corsOrigins);
    }

    public EngineOptions withCorsOrigins(List<String> origins) {
        return new EngineOptions(pingInterval, pingTimeout, maxPayload, upgradeTimeout, maxBufferedBytes, maxConnections, origins);
    }
}
