package io.socketfleet.node.redis;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisURIHelper;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place the node's Redis clients are made, from its {@link RedisSettings}: TLS, ACL
 * user and password, and the topology (one Redis, a master behind Sentinels, a Redis Cluster)
 * are decided here once, and every Redis user in the node goes through it.
 *
 * <p>Opening connects to nothing (a node starts while Redis is away); the TLS files are read at
 * once, so a bad certificate or key stops the node at start instead of at the first reconnect,
 * and read again whenever a connection is opened after they changed (certificate rotation).
 * {@link #commands()} is one shared, thread-safe client that follows failovers and slots;
 * subscribers, which hold a connection for themselves, take one from {@link #connect}.
 */
public final class RedisConnections implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 2_000;
    private static final String CLIENT_NAME = "socketfleet-node";

    private final RedisSettings settings;
    private final JedisClientConfig clientConfig;
    private final JedisClientConfig sentinelConfig;
    private final Set<HostAndPort> sentinels;
    private UnifiedJedis commands;
    private boolean closed;

    private RedisConnections(RedisSettings settings) {
        this.settings = settings;
        // Certificates are reread when a connection is opened and their files changed: rotation needs no restart.
        SSLSocketFactory tlsSockets = settings.usesTls() ? new ReloadingSocketFactory(settings.tls()) : null;
        SSLParameters tlsParameters = settings.usesTls() ? RedisTls.parameters(settings.tls()) : null;
        DefaultJedisClientConfig.Builder client = base(tlsSockets, tlsParameters).user(user()).password(password());
        if (settings.url() != null) {
            client.database(JedisURIHelper.getDBIndex(settings.url()));
        }
        this.clientConfig = client.build();
        if (settings.sentinel() != null) {
            this.sentinelConfig = base(tlsSockets, tlsParameters).password(settings.sentinel().password()).build();
            this.sentinels = settings.sentinel().addresses().stream().map(HostAndPort::from)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } else {
            this.sentinelConfig = null;
            this.sentinels = Set.of();
        }
    }

    /** Clients for these settings; reads the TLS files now and fails on a bad one. */
    public static RedisConnections open(RedisSettings settings) {
        return new RedisConnections(settings);
    }

    public RedisSettings settings() {
        return settings;
    }

    /** Whether Redis is a Cluster (sharded channels and keys spread over slots). */
    public boolean cluster() {
        return settings.cluster();
    }

    /**
     * The node's shared command client: pooled, thread-safe; with Sentinel it moves to the new
     * master after a failover, with a Cluster it follows the slots. Made on first use: while
     * Redis (or every Sentinel, or every cluster node) is unreachable this throws a
     * {@link JedisConnectionException}, like any command would, and the next call tries again.
     */
    public synchronized UnifiedJedis commands() {
        if (closed) {
            throw new JedisConnectionException("Redis connections closed");
        }
        if (commands == null) {
            commands = createCommands();
        }
        return commands;
    }

    private UnifiedJedis createCommands() {
        if (settings.sentinel() != null) {
            return RedisSentinelClient.builder().masterName(settings.sentinel().masterName()).sentinels(sentinels)
                    .clientConfig(clientConfig).sentinelClientConfig(sentinelConfig).build();
        }
        HostAndPort address = JedisURIHelper.getHostAndPort(settings.url());
        if (settings.cluster()) {
            return RedisClusterClient.builder().nodes(Set.of(address)).clientConfig(clientConfig).build();
        }
        return RedisClient.builder().hostAndPort(address).clientConfig(clientConfig).build();
    }

    /**
     * Where a connection of its own (a subscriber's) should go now: the URL's host; with Sentinel,
     * the master the shared client follows (the Sentinels' answer, kept current by their failover
     * notices); for a Cluster, the node the URL names (classic pub/sub reaches every node).
     */
    public HostAndPort subscriptionNode() {
        if (settings.sentinel() != null) {
            return ((RedisSentinelClient) commands()).getCurrentMaster();
        }
        return JedisURIHelper.getHostAndPort(settings.url());
    }

    /**
     * Whether {@code node} is still where a subscription belongs: with Sentinel, whether it is the
     * master the shared client follows (kept current by Sentinel's failover notices, no extra
     * round trip); otherwise always.
     */
    public boolean isCurrent(HostAndPort node) {
        return settings.sentinel() == null || node.equals(((RedisSentinelClient) commands()).getCurrentMaster());
    }

    /** A new connection to {@code node}, authenticated, for the caller alone to use and close. */
    public Connection connect(HostAndPort node) {
        return new Connection(node, clientConfig);
    }

    /** Where Redis is, for logs: no credentials. */
    public String description() {
        String tls = settings.usesTls() ? " over TLS" : "";
        if (settings.sentinel() != null) {
            return "master '" + settings.sentinel().masterName() + "' via Sentinels " + String.join(",",
                    settings.sentinel().addresses()) + tls;
        }
        HostAndPort address = JedisURIHelper.getHostAndPort(settings.url());
        return (settings.cluster() ? "Redis Cluster via " : "Redis at ") + address + tls;
    }

    private String user() {
        return settings.username() != null ? settings.username()
                : settings.url() == null ? null : JedisURIHelper.getUser(settings.url());
    }

    private String password() {
        if (settings.password() != null && !settings.password().isEmpty()) {
            return settings.password();
        }
        return settings.url() == null ? null : JedisURIHelper.getPassword(settings.url());
    }

    private static DefaultJedisClientConfig.Builder base(SSLSocketFactory tlsSockets, SSLParameters tlsParameters) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .clientName(CLIENT_NAME)
                // No CLIENT SETINFO: one command fewer for a least-privilege ACL user to be granted.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (tlsSockets != null) {
            builder.ssl(true).sslSocketFactory(tlsSockets).sslParameters(tlsParameters);
        }
        return builder;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (commands != null) {
            commands.close();
        }
    }
}
