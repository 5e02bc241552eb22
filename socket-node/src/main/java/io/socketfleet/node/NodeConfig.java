package io.socketfleet.node;

import io.socketfleet.contract.HostPort;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.admin.AdminUiOptions;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.TransportOptions;
import io.socketfleet.node.redis.RedisSettings;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.socketfleet.contract.NodeSetting.ADAPTER;
import static io.socketfleet.contract.NodeSetting.ADVERTISE_ADDRESS;
import static io.socketfleet.contract.NodeSetting.BIND;
import static io.socketfleet.contract.NodeSetting.CONNECT_TIMEOUT_MS;
import static io.socketfleet.contract.NodeSetting.CORS_ORIGINS;
import static io.socketfleet.contract.NodeSetting.ADMIN_UI;
import static io.socketfleet.contract.NodeSetting.ADMIN_UI_MODE;
import static io.socketfleet.contract.NodeSetting.ADMIN_UI_PASSWORD_HASH;
import static io.socketfleet.contract.NodeSetting.ADMIN_UI_READONLY;
import static io.socketfleet.contract.NodeSetting.ADMIN_UI_USERNAME;
import static io.socketfleet.contract.NodeSetting.DEMO;
import static io.socketfleet.contract.NodeSetting.DRAIN_SECONDS;
import static io.socketfleet.contract.NodeSetting.HANDSHAKE_HEADERS;
import static io.socketfleet.contract.NodeSetting.HTTP_COMPRESSION_THRESHOLD;
import static io.socketfleet.contract.NodeSetting.MAX_BUFFERED_BYTES;
import static io.socketfleet.contract.NodeSetting.MAX_CONNECTIONS;
import static io.socketfleet.contract.NodeSetting.MAX_DISCONNECTION_DURATION_MS;
import static io.socketfleet.contract.NodeSetting.MAX_HANDSHAKES_PER_ADDRESS;
import static io.socketfleet.contract.NodeSetting.MAX_PAYLOAD;
import static io.socketfleet.contract.NodeSetting.NODE_NAME;
import static io.socketfleet.contract.NodeSetting.PER_MESSAGE_DEFLATE;
import static io.socketfleet.contract.NodeSetting.PING_INTERVAL_MS;
import static io.socketfleet.contract.NodeSetting.PING_TIMEOUT_MS;
import static io.socketfleet.contract.NodeSetting.PORT;
import static io.socketfleet.contract.NodeSetting.REBALANCE_SESSIONS_PER_SECOND;
import static io.socketfleet.contract.NodeSetting.REBALANCE_TOLERANCE_PERCENT;
import static io.socketfleet.contract.NodeSetting.REDIS_CLUSTER;
import static io.socketfleet.contract.NodeSetting.REDIS_PASSWORD;
import static io.socketfleet.contract.NodeSetting.REDIS_PUBSUB;
import static io.socketfleet.contract.NodeSetting.REDIS_SENTINEL_ADDRESSES;
import static io.socketfleet.contract.NodeSetting.REDIS_SENTINEL_MASTER;
import static io.socketfleet.contract.NodeSetting.REDIS_SENTINEL_PASSWORD;
import static io.socketfleet.contract.NodeSetting.REDIS_SUBSCRIPTION_MODE;
import static io.socketfleet.contract.NodeSetting.REDIS_TLS;
import static io.socketfleet.contract.NodeSetting.REDIS_TLS_CA_FILE;
import static io.socketfleet.contract.NodeSetting.REDIS_TLS_CERT_FILE;
import static io.socketfleet.contract.NodeSetting.REDIS_TLS_KEY_FILE;
import static io.socketfleet.contract.NodeSetting.REDIS_TLS_VERIFY_HOSTNAME;
import static io.socketfleet.contract.NodeSetting.REDIS_URL;
import static io.socketfleet.contract.NodeSetting.REDIS_USERNAME;
import static io.socketfleet.contract.NodeSetting.STREAM_MAX_LEN;
import static io.socketfleet.contract.NodeSetting.TRANSPORT;
import static io.socketfleet.contract.NodeSetting.TRUST_PROXY_HEADERS;
import static io.socketfleet.contract.NodeSetting.WARMUP_MS;

/**
 * Everything a node is started with, immutable, filled once from the {@link NodeSetting}s given
 * as flags or environment ({@link #from}); {@link #settings()} reads the same settings back, which
 * the node logs at start.
 *
 * @param bind             address to listen on
 * @param port             port to listen on (0 picks a free one)
 * @param nodeName         name shown to clients and in presence (the pod name in Kubernetes)
 * @param advertiseAddress where the load balancer reaches this node; its route token prefixes session ids
 * @param redis            the fleet's Redis (cross-node broadcast and state), or null for a single node
 * @param engine           Engine.IO settings
 * @param connectTimeout   time a new session has to send its CONNECT (default 10 s; socket.io's is 45 s); a CONNECT still being decided is waited for
 * @param drainPeriod      time over which open sessions are closed on SIGTERM
 * @param demo             whether to install the demo chat/presence app
 * @param shardedPubSub    Redis 7 sharded pub/sub (createShardedAdapter) instead of classic pub/sub (createAdapter)
 * @param subscriptionMode with sharded pub/sub, which rooms get a channel of their own
 * @param rebalancing      how a node with Redis sheds sessions above its fair share
 * @param adminUi          the @socket.io/admin-ui protocol on /admin, or null when it is off
 * @param adapter          pub/sub or streams, and connection state recovery
 * @param warmup           time spent before listening running connections through a private server (zero: none)
 * @param transport        the TRANSPORT setting: auto, io_uring, epoll or nio (see {@link NetworkTransport})
 */
public record NodeConfig(String bind, int port, String nodeName, HostPort advertiseAddress, RedisSettings redis,
                         EngineOptions engine, Duration connectTimeout, Duration drainPeriod, boolean demo,
                         boolean shardedPubSub, SubscriptionMode subscriptionMode, Rebalancing rebalancing,
                         AdminUiOptions adminUi, AdapterSettings adapter, Duration warmup,
                         String transport) {

    /**
     * @param sessionsPerSecond the most transports closed per second while above the fair share (0: never)
     * @param tolerancePercent  how far above the fair share a node may go first
     */
    public record Rebalancing(int sessionsPerSecond, int tolerancePercent) {
        public static final Rebalancing OFF = new Rebalancing(0, 5);
    }

    /** A node started with these settings (defaults for the rest); the host name when no name is given. */
    public static NodeConfig from(NodeSettings s) {
        EngineOptions engine = EngineOptions.defaults()
                .withPing(Duration.ofMillis(s.number(PING_INTERVAL_MS)), Duration.ofMillis(s.number(PING_TIMEOUT_MS)))
                .withMaxPayload(s.intNumber(MAX_PAYLOAD))
                .withMaxConnections(s.intNumber(MAX_CONNECTIONS))
                .withMaxBufferedBytes(s.number(MAX_BUFFERED_BYTES))
                .withCorsOrigins(s.given(CORS_ORIGINS).map(NodeConfig::list).orElse(List.of()))
                .withHandshakeHeaders(s.given(HANDSHAKE_HEADERS).map(NodeConfig::list).orElse(EngineOptions.DEFAULT_HANDSHAKE_HEADERS))
                .withHandshakeLimit(s.intNumber(MAX_HANDSHAKES_PER_ADDRESS), Boolean.parseBoolean(s.text(TRUST_PROXY_HEADERS)))
                .withTransport(TransportOptions.defaults()
                        .withHttpCompressionThreshold(s.intNumber(HTTP_COMPRESSION_THRESHOLD))
                        .withPerMessageDeflate(Boolean.parseBoolean(s.text(PER_MESSAGE_DEFLATE))));
        return new NodeConfig(s.text(BIND), s.intNumber(PORT), s.given(NODE_NAME).orElseGet(NodeConfig::hostName),
                s.given(ADVERTISE_ADDRESS).map(HostPort::parse).orElse(null), redis(s), engine,
                Duration.ofMillis(s.number(CONNECT_TIMEOUT_MS)), Duration.ofSeconds(s.number(DRAIN_SECONDS)),
                Boolean.parseBoolean(s.text(DEMO)), s.text(REDIS_PUBSUB).equals("sharded"),
                SubscriptionMode.of(s.text(REDIS_SUBSCRIPTION_MODE)),
                new Rebalancing(s.intNumber(REBALANCE_SESSIONS_PER_SECOND), s.intNumber(REBALANCE_TOLERANCE_PERCENT)),
                adminUi(s),
                new AdapterSettings(s.text(ADAPTER).equals("streams"), Duration.ofMillis(s.number(MAX_DISCONNECTION_DURATION_MS)),
                        s.number(STREAM_MAX_LEN)),
                Duration.ofMillis(s.number(WARMUP_MS)), s.text(TRANSPORT));
    }

    /** The admin UI's options when ADMIN_UI is on; a missing or malformed password hash is an IllegalArgumentException. */
    private static AdminUiOptions adminUi(NodeSettings s) {
        if (!Boolean.parseBoolean(s.text(ADMIN_UI))) {
            return null;
        }
        return new AdminUiOptions(s.text(ADMIN_UI_USERNAME), s.given(ADMIN_UI_PASSWORD_HASH).orElseThrow(() ->
                new IllegalArgumentException("--admin-ui needs --admin-ui-password-hash (a bcrypt hash)")),
                Boolean.parseBoolean(s.text(ADMIN_UI_READONLY)), s.text(ADMIN_UI_MODE).equals("development"));
    }

    /** The Redis settings, when a URL or a Sentinel master is given; a contradiction is an IllegalArgumentException. */
    private static RedisSettings redis(NodeSettings s) {
        if (s.given(REDIS_URL).isEmpty() && s.given(REDIS_SENTINEL_MASTER).isEmpty()) {
            return null;
        }
        RedisSettings.Sentinel sentinel = s.given(REDIS_SENTINEL_MASTER)
                .map(master -> new RedisSettings.Sentinel(master, s.given(REDIS_SENTINEL_ADDRESSES).map(NodeConfig::list)
                        .orElse(List.of()), s.given(REDIS_SENTINEL_PASSWORD).orElse(null)))
                .orElse(null);
        RedisSettings.Tls tls = new RedisSettings.Tls(Boolean.parseBoolean(s.text(REDIS_TLS)),
                s.given(REDIS_TLS_CA_FILE).map(Path::of).orElse(null), s.given(REDIS_TLS_CERT_FILE).map(Path::of).orElse(null),
                s.given(REDIS_TLS_KEY_FILE).map(Path::of).orElse(null), Boolean.parseBoolean(s.text(REDIS_TLS_VERIFY_HOSTNAME)));
        return new RedisSettings(s.given(REDIS_URL).map(URI::create).orElse(null), s.given(REDIS_USERNAME).orElse(null),
                s.given(REDIS_PASSWORD).orElse(null), tls, sentinel, Boolean.parseBoolean(s.text(REDIS_CLUSTER)));
    }

    /** The settings this node runs with, read back from what it holds (unset ones left out). */
    public NodeSettings settings() {
        Map<NodeSetting, Object> values = new EnumMap<>(NodeSetting.class);
        values.put(PORT, port);
        values.put(BIND, bind);
        values.put(NODE_NAME, nodeName);
        values.put(ADVERTISE_ADDRESS, advertiseAddress);
        if (redis != null) {
            values.put(REDIS_URL, redis.url());
            values.put(REDIS_USERNAME, redis.username());
            values.put(REDIS_PASSWORD, redis.password());
            values.put(REDIS_TLS, redis.tls().enabled());
            values.put(REDIS_TLS_CA_FILE, redis.tls().caFile());
            values.put(REDIS_TLS_CERT_FILE, redis.tls().certFile());
            values.put(REDIS_TLS_KEY_FILE, redis.tls().keyFile());
            values.put(REDIS_TLS_VERIFY_HOSTNAME, redis.tls().verifyHostname());
            if (redis.sentinel() != null) {
                values.put(REDIS_SENTINEL_MASTER, redis.sentinel().masterName());
                values.put(REDIS_SENTINEL_ADDRESSES, String.join(",", redis.sentinel().addresses()));
                values.put(REDIS_SENTINEL_PASSWORD, redis.sentinel().password());
            }
            if (redis.cluster()) {
                values.put(REDIS_CLUSTER, true);
            }
        }
        values.put(PING_INTERVAL_MS, engine.pingInterval().toMillis());
        values.put(PING_TIMEOUT_MS, engine.pingTimeout().toMillis());
        values.put(DRAIN_SECONDS, drainPeriod.toSeconds());
        values.put(REBALANCE_SESSIONS_PER_SECOND, rebalancing.sessionsPerSecond());
        values.put(REBALANCE_TOLERANCE_PERCENT, rebalancing.tolerancePercent());
        values.put(MAX_CONNECTIONS, engine.maxConnections());
        values.put(MAX_PAYLOAD, engine.maxPayload());
        values.put(MAX_BUFFERED_BYTES, engine.maxBufferedBytes());
        values.put(CONNECT_TIMEOUT_MS, connectTimeout.toMillis());
        values.put(WARMUP_MS, warmup.toMillis());
        values.put(TRANSPORT, transport);
        values.put(CORS_ORIGINS, engine.corsOrigins().isEmpty() ? null : String.join(",", engine.corsOrigins()));
        values.put(HANDSHAKE_HEADERS, String.join(",", engine.handshakeHeaders()));
        values.put(MAX_HANDSHAKES_PER_ADDRESS, engine.maxHandshakesPerAddress());
        values.put(TRUST_PROXY_HEADERS, engine.trustProxyHeaders());
        values.put(HTTP_COMPRESSION_THRESHOLD, engine.transport().httpCompressionThreshold());
        values.put(PER_MESSAGE_DEFLATE, engine.transport().perMessageDeflate());
        values.put(DEMO, demo);
        if (adminUi != null) {
            values.put(ADMIN_UI, true);
            values.put(ADMIN_UI_USERNAME, adminUi.username());
            values.put(ADMIN_UI_PASSWORD_HASH, adminUi.passwordHash());
            values.put(ADMIN_UI_READONLY, adminUi.readonly());
            values.put(ADMIN_UI_MODE, adminUi.development() ? "development" : "production");
        }
        values.put(REDIS_PUBSUB, shardedPubSub ? "sharded" : "classic");
        values.put(REDIS_SUBSCRIPTION_MODE, subscriptionMode.wireName());
        values.put(ADAPTER, adapter.mode());
        values.put(MAX_DISCONNECTION_DURATION_MS, adapter.maxDisconnectionDuration().toMillis());
        values.put(STREAM_MAX_LEN, adapter.streamMaxLen());
        Map<NodeSetting, String> text = new EnumMap<>(NodeSetting.class);
        values.forEach((setting, value) -> {
            if (value != null) {
                text.put(setting, value.toString());
            }
        });
        return new NodeSettings(text);
    }

    /**
     * A single local node on a free loopback port, not rebalancing (no balancer in front) and not warming
     * up (an embedding program or test starts it in-process, often many times); tests adjust from here.
     */
    public static NodeConfig localDefaults(String nodeName) {
        return new NodeConfig("127.0.0.1", 0, nodeName, null, null, EngineOptions.defaults(),
                Duration.ofSeconds(10), Duration.ofSeconds(10), false, false, SubscriptionMode.DYNAMIC, Rebalancing.OFF, null,
                AdapterSettings.pubSub(), Duration.ZERO, TRANSPORT.defaultValue());
    }

    /** The same node spending {@code warmup} on a private warm-up before it listens. */
    public NodeConfig withWarmup(Duration warmup) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** The same node on this network transport (a TRANSPORT value). */
    public NodeConfig withTransport(String transport) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    public NodeConfig withEngine(EngineOptions engine) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** On one Redis at {@code url}, the password (when not null) overriding the URL's. */
    public NodeConfig withRedis(URI url, String password) {
        return withRedis(RedisSettings.of(url, password));
    }

    public NodeConfig withRedis(RedisSettings redis) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    public NodeConfig withConnectTimeout(Duration timeout) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, timeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** The same node closing its sessions over {@code period} when it drains. */
    public NodeConfig withDrainPeriod(Duration period) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, period, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** The same node on the streams adapter (or back on pub/sub), with or without connection state recovery. */
    public NodeConfig withAdapter(AdapterSettings adapter) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** The same node on Redis 7 sharded pub/sub with this subscription mode (createShardedAdapter). */
    public NodeConfig withShardedPubSub(SubscriptionMode mode) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                true, mode, rebalancing, adminUi, adapter, warmup, transport);
    }

    public NodeConfig withRebalancing(Rebalancing rebalancing) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, adminUi, adapter, warmup, transport);
    }

    /** The same node serving the admin UI on /admin. */
    public NodeConfig withAdminUi(AdminUiOptions options) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redis, engine, connectTimeout, drainPeriod, demo,
                shardedPubSub, subscriptionMode, rebalancing, options, adapter, warmup, transport);
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "socket-node";
        }
    }
}
