package io.socketfleet.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every setting a socket-node starts with: the one table from which the node's command line, the
 * operator's pod environment, local mode's flags, the fleet validator's bounds and "do two nodes run
 * the same settings" all derive. Each setting has one name, the constant's, and three spellings by
 * rule: environment variable {@code PING_INTERVAL_MS}, flag {@code --ping-interval-ms}, and, for
 * the settings a SocketFleet carries, the field {@code spec.node.pingIntervalMs}.
 *
 * <p>Adding a setting: one constant here, then its use on the node ({@code NodeConfig}); a setting
 * {@linkplain #inFleetSpec() in the fleet spec} also needs its {@code NodeSpec} field, which a test
 * holds to this table.
 */
public enum NodeSetting {

    PORT(Kind.NUMBER, "3000", 1024, 65535, true,
            "Port socket-node listens on (unprivileged: 1024-65535)."),
    BIND(Kind.IP, "0.0.0.0", false,
            "Address to listen on."),
    NODE_NAME(Kind.TEXT, null, "the host name", false,
            "Name shown to clients and in presence (the pod name in Kubernetes)."),
    ADVERTISE_ADDRESS(Kind.HOST_PORT, null, "the pod's IP (env POD_IP) or the bind address, and the port", false,
            "IP:PORT the load balancer reaches this node at; every session id starts with its route token."),
    REDIS_URL(Kind.REDIS_URL, null, "none: a single node", false,
            "Redis for cross-node broadcast, e.g. redis://host:6379, or rediss://host:6380 for TLS."),
    REDIS_USERNAME(Kind.TEXT, null, "the URL's, if any", false,
            "Redis ACL user name, overriding the URL's."),
    REDIS_PASSWORD(Kind.SECRET, null, "the URL's, if any", false,
            "Redis password, overriding the URL's (so it can come from a Secret)."),
    REDIS_TLS(Kind.BOOLEAN, "false", false,
            "Talk TLS to Redis and its Sentinels; a rediss:// URL implies it."),
    REDIS_TLS_CA_FILE(Kind.TEXT, null, "the JVM's trusted CAs", false,
            "PEM file of the CA certificates to trust for Redis."),
    REDIS_TLS_CERT_FILE(Kind.TEXT, null, "none", false,
            "PEM client certificate (and chain) for a Redis that requires one; with REDIS_TLS_KEY_FILE."),
    REDIS_TLS_KEY_FILE(Kind.TEXT, null, "none", false,
            "PEM private key of the client certificate, unencrypted (PKCS#8, PKCS#1 RSA or SEC1 EC)."),
    REDIS_TLS_VERIFY_HOSTNAME(Kind.BOOLEAN, "true", false,
            "Require Redis's certificate to name the host dialled (DNS name or IP address)."),
    REDIS_SENTINEL_MASTER(Kind.TEXT, null, "none", false,
            "Reach Redis through Sentinel: the name of the master they monitor (instead of REDIS_URL); "
                    + "the node follows failovers."),
    REDIS_SENTINEL_ADDRESSES(Kind.LIST, null, "none", false,
            "host:port of each Sentinel, comma-separated; with REDIS_SENTINEL_MASTER."),
    REDIS_SENTINEL_PASSWORD(Kind.SECRET, null, "none", false,
            "Password of the Sentinels themselves, if they require one."),
    REDIS_CLUSTER(Kind.BOOLEAN, "false", false,
            "REDIS_URL names a node of a Redis Cluster; the node finds the others."),
    REDIS_PUBSUB(List.of("classic", "sharded"), false,
            "Redis pub/sub the adapter uses: classic (PUBLISH/PSUBSCRIBE, @socket.io/redis-adapter's createAdapter) or "
                    + "sharded (Redis 7 SPUBLISH/SSUBSCRIBE, createShardedAdapter; needed to spread pub/sub over a Redis Cluster)."),
    REDIS_SUBSCRIPTION_MODE(List.of("dynamic", "static", "dynamic-private"), false,
            "With sharded pub/sub, createShardedAdapter's subscriptionMode: static (one channel per namespace), dynamic "
                    + "(also one per public room) or dynamic-private (one per room, socket ids included); every node of a "
                    + "fleet, Node peers included, must use the same."),
    PING_INTERVAL_MS(Kind.NUMBER, "25000", 1000, 600_000, true,
            "Engine.IO ping interval in milliseconds (socket.io default 25000)."),
    PING_TIMEOUT_MS(Kind.NUMBER, "20000", 1000, 600_000, true,
            "Milliseconds to wait for a pong before closing a session (socket.io default 20000)."),
    DRAIN_SECONDS(Kind.NUMBER, "10", 0, 3600, true,
            "On termination, open sessions are closed spread over this many seconds so clients reconnect elsewhere gradually."),
    MAX_CONNECTIONS(Kind.NUMBER, "100000", 1, 10_000_000, true,
            "Open sessions per node beyond which new ones are refused with 503."),
    MAX_PAYLOAD(Kind.NUMBER, "1000000", 1, Integer.MAX_VALUE, false,
            "Largest packet or polling body in bytes."),
    MAX_BUFFERED_BYTES(Kind.NUMBER, "4194304", 1, Long.MAX_VALUE, false,
            "Bytes queued for one slow client before it is dropped."),
    CONNECT_TIMEOUT_MS(Kind.NUMBER, "10000", 1, Integer.MAX_VALUE, false,
            "Milliseconds a new session has to send its CONNECT; socket.io-client sends it at once, so a short wait keeps "
                    + "sessions that never do cheap (socket.io's default is 45000). A CONNECT still being decided "
                    + "(recovery, async middleware) is waited for."),
    WARMUP_MS(Kind.NUMBER, "1000", 0, 60_000, false,
            "Milliseconds a starting node spends running connections through a private server of its own before it "
                    + "listens, so the JIT has compiled the hot paths before its first clients (0: none)."),
    TRANSPORT(List.of("epoll", "io_uring", "nio", "auto"), false,
            "Socket I/O of the event loops: epoll, io_uring (one system call submits all the sends of a loop turn) or nio "
                    + "(the JDK's); auto takes the first that works of io_uring, epoll, nio. One that does not work here "
                    + "falls back in that order and the node logs which it runs on: a container's default seccomp profile "
                    + "(RuntimeDefault) refuses io_uring, so it needs a profile that allows it."),
    HANDSHAKE_HEADERS(Kind.LIST, null, "host, origin, referer, user-agent, accept-language, cookie, authorization, "
            + "x-forwarded-for, x-forwarded-proto, x-real-ip", false,
            "Request headers a session keeps for the application's handshake, comma-separated; the rest is not held."),
    MAX_HANDSHAKES_PER_ADDRESS(Kind.NUMBER, "0", 0, Integer.MAX_VALUE, true,
            "Sessions one client address may hold before joining a namespace; more get 429 (0: no cap). "
                    + "Behind a proxy every peer is the proxy: use with TRUST_PROXY_HEADERS."),
    TRUST_PROXY_HEADERS(Kind.BOOLEAN, "false", true,
            "Take the client address from X-Real-IP or the last X-Forwarded-For entry (set by the proxy in front); "
                    + "only safe when clients cannot reach the node directly."),
    HTTP_COMPRESSION_THRESHOLD(Kind.NUMBER, "1024", -1, Integer.MAX_VALUE, true,
            "Long-polling responses of at least this many bytes are gzip/deflate compressed for clients that accept it "
                    + "(engine.io's httpCompression threshold); -1 turns HTTP compression off."),
    PER_MESSAGE_DEFLATE(Kind.BOOLEAN, "false", true,
            "Negotiate permessage-deflate on websockets (off by default, as in engine.io): less bandwidth for more CPU "
                    + "and memory per connection; messages under 1024 bytes go uncompressed."),
    REBALANCE_SESSIONS_PER_SECOND(Kind.NUMBER, "20", 0, 100_000, true,
            "With Redis: while a node holds more than its fair share of the fleet's sessions, it closes at most this many "
                    + "transports per second so those clients reconnect to nodes with room (0: never rebalance)."),
    REBALANCE_TOLERANCE_PERCENT(Kind.NUMBER, "5", 0, 100, true,
            "How far above its fair share (fleet sessions / ready nodes) a node may go before it rebalances, in percent."),
    CORS_ORIGINS(Kind.LIST, null, "same origin only", false,
            "Origins allowed cross-origin, comma-separated, * for any."),
    DEMO(Kind.BOOLEAN, "true", false,
            "Install the demo chat and presence app."),
    ADMIN_UI(Kind.BOOLEAN, "false", false,
            "Serve the @socket.io/admin-ui protocol on the /admin namespace, for the whole fleet through Redis "
                    + "(every node's server stats, sockets and rooms); needs ADMIN_UI_PASSWORD_HASH."),
    ADMIN_UI_USERNAME(Kind.TEXT, "admin", false,
            "User name the admin UI logs in with."),
    ADMIN_UI_PASSWORD_HASH(Kind.SECRET, null, "none", false,
            "bcrypt hash of the admin UI's password ($2a$/$2b$/$2y$, as bcryptjs and admin-ui make it)."),
    ADMIN_UI_READONLY(Kind.BOOLEAN, "false", false,
            "Admin UI may only look: no emit, join, leave or disconnect from it."),
    ADMIN_UI_MODE(List.of("development", "production"), false,
            "admin-ui's mode. development (its default): sockets, rooms and their changes, and every event each "
                    + "socket receives and sends, sent to the UI through Redis from every node; production: only each "
                    + "node's stats and the dashboard's aggregated charts (cheap for a busy fleet)."),
    ADAPTER(List.of("pubsub", "streams"), false,
            "How broadcasts cross the fleet. pubsub: Redis pub/sub, gone once delivered (@socket.io/redis-adapter; "
                    + "no connection state recovery). streams: kept in a bounded log with an offset each (a Redis stream, "
                    + "as @socket.io/redis-streams-adapter; in memory on a node without Redis), so clients that lose "
                    + "their connection recover their session on any node."),
    MAX_DISCONNECTION_DURATION_MS(Kind.NUMBER, "120000", 0, 86_400_000, true,
            "With the streams adapter (ADAPTER, spec.redis.adapter): milliseconds a client may stay away and still recover "
                    + "its socket id, rooms, data and missed broadcasts (socket.io's maxDisconnectionDuration); 0 turns "
                    + "connection state recovery off."),
    STREAM_MAX_LEN(Kind.NUMBER, "10000", 1, 1_000_000_000, false,
            "With the streams adapter: about how many broadcasts the log keeps (Redis XADD MAXLEN ~); a client that missed more "
                    + "than that gets a fresh session.");

    /** How a setting's text is read and checked. */
    public enum Kind {
        NUMBER, TEXT, SECRET, IP, HOST_PORT, REDIS_URL, LIST, BOOLEAN, CHOICE
    }

    private final Kind kind;
    private final String defaultValue;
    private final String defaultDescription;
    private final long min;
    private final long max;
    private final boolean inFleetSpec;
    private final String description;
    private final List<String> choices;

    NodeSetting(Kind kind, String defaultValue, long min, long max, boolean inFleetSpec, String description) {
        this(kind, defaultValue, defaultValue, min, max, inFleetSpec, description);
    }

    NodeSetting(Kind kind, String defaultValue, boolean inFleetSpec, String description) {
        this(kind, defaultValue, defaultValue, Long.MIN_VALUE, Long.MAX_VALUE, inFleetSpec, description);
    }

    NodeSetting(Kind kind, String defaultValue, String defaultDescription, boolean inFleetSpec, String description) {
        this(kind, defaultValue, defaultDescription, Long.MIN_VALUE, Long.MAX_VALUE, inFleetSpec, description);
    }

    /** A {@link Kind#CHOICE} among these values, the first being the default. */
    NodeSetting(List<String> choices, boolean inFleetSpec, String description) {
        this(Kind.CHOICE, choices.get(0), choices.get(0), Long.MIN_VALUE, Long.MAX_VALUE, inFleetSpec, description, choices);
    }

    NodeSetting(Kind kind, String defaultValue, String defaultDescription, long min, long max, boolean inFleetSpec,
                String description) {
        this(kind, defaultValue, defaultDescription, min, max, inFleetSpec, description, List.of());
    }

    NodeSetting(Kind kind, String defaultValue, String defaultDescription, long min, long max, boolean inFleetSpec,
                String description, List<String> choices) {
        this.choices = List.copyOf(choices);
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.defaultDescription = defaultDescription;
        this.min = min;
        this.max = max;
        this.inFleetSpec = inFleetSpec;
        this.description = description;
    }

    /** The settings a SocketFleet sets for all its nodes, each from {@code spec.node.<fieldName>}. */
    public static List<NodeSetting> fleetSettings() {
        return Arrays.stream(values()).filter(NodeSetting::inFleetSpec).toList();
    }

    /** The environment variable the node reads it from: the constant's name. */
    public String envName() {
        return name();
    }

    /** The command-line flag: {@code --ping-interval-ms}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The field in {@code spec.node} for a fleet setting: {@code pingIntervalMs}. */
    public String fieldName() {
        StringBuilder camel = new StringBuilder();
        for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
            camel.append(camel.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return camel.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** The value a node uses when none is given, or null when it has none (or works it out at start). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default as --help says it. */
    public String defaultDescription() {
        return defaultDescription;
    }

    /** Smallest value of a {@link Kind#NUMBER}. */
    public long min() {
        return min;
    }

    /** Largest value of a {@link Kind#NUMBER}. */
    public long max() {
        return max;
    }

    /** Whether the SocketFleet resource sets it (then every node of a fleet runs the same value). */
    public boolean inFleetSpec() {
        return inFleetSpec;
    }

    public String description() {
        return description;
    }

    /** The values a {@link Kind#CHOICE} takes, the default first; empty for other kinds. */
    public List<String> choices() {
        return choices;
    }

    /** What is wrong with a value, as the end of a sentence that starts with the setting's name; null when it is fine. */
    public String problem(String text) {
        if (text == null) {
            return "is required";
        }
        return switch (kind) {
            case NUMBER -> numberProblem(text);
            case TEXT, SECRET -> text.isBlank() ? "must not be blank" : null;
            case IP -> HostPort.isIpLiteral(text) ? null : "must be an IP address literal, got '" + text + "'";
            case HOST_PORT -> hostPortProblem(text);
            case REDIS_URL -> redisUrlProblem(text);
            case LIST -> null;
            case BOOLEAN -> text.equals("true") || text.equals("false") ? null : "must be true or false, got '" + text + "'";
            case CHOICE -> choices.contains(text) ? null : "must be one of " + String.join(", ", choices) + ", got '" + text + "'";
        };
    }

    private String numberProblem(String text) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return "must be a whole number, got '" + text + "'";
        }
        if (value < min || value > max) {
            return "must be between " + min + " and " + max + ", got " + value;
        }
        return null;
    }

    private static String hostPortProblem(String text) {
        try {
            HostPort.parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return "must be IP:PORT: " + e.getMessage();
        }
    }

    private static String redisUrlProblem(String text) {
        try {
            URI uri = new URI(text);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return null;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return "must be a redis:// or rediss:// URL with a host, got '" + text + "'";
    }
}
