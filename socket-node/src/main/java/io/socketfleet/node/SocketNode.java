package io.socketfleet.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.socketfleet.contract.HostPort;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.adapter.InMemorySessionAdapter;
import io.socketfleet.node.adapter.RedisAdapter;
import io.socketfleet.node.adapter.RedisBroker;
import io.socketfleet.node.adapter.RedisStreams;
import io.socketfleet.node.adapter.RedisStreamsAdapter;
import io.socketfleet.node.adapter.ShardedBroker;
import io.socketfleet.node.adapter.ShardedRedisAdapter;
import io.socketfleet.node.admin.AdminUi;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.http.HttpServerInitializer;
import io.socketfleet.node.http.StaticContent;
import io.socketfleet.node.lifecycle.Rebalancer;
import io.socketfleet.node.lifecycle.RedisLoadBoard;
import io.socketfleet.node.metrics.NodeMetrics;
import io.socketfleet.node.redis.RedisConnections;
import io.socketfleet.node.socketio.ConnectionStateRecovery;
import io.socketfleet.node.socketio.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A running socket-node: the Netty server, the Engine.IO and Socket.IO layers, and the adapter. */
public final class SocketNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketNode.class);
    /** How long a drain waits for the sessions to be written before it closes transports anyway (Redis away). */
    public static final Duration SESSION_WRITE_WAIT = Duration.ofSeconds(3);

    private final NodeConfig config;
    private final NodeMetrics metrics = new NodeMetrics();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final EngineServer engine;
    private final SocketIoServer io;
    private final RedisConnections redis;
    private final RedisBroker broker;
    private final RedisStreams streams;
    private final ShardedBroker shardedBroker;
    private final Rebalancer rebalancer;
    private final HostPort advertiseAddress;
    private final AdminUi adminUi;
    private final NetworkTransport transport;

    private SocketNode(NodeConfig config, Consumer<SocketNode> application) throws InterruptedException {
        this.config = config;
        StartupPhases phases = new StartupPhases();
        // Before the port is bound: a client (or a readiness probe) meets an already warmed-up node.
        Warmup.Result warmup = Warmup.run(config.engine(), config.connectTimeout(), config.warmup());
        phases.done("warm-up " + warmup.connections() + " connections");
        transport = NetworkTransport.choose(config.transport());
        if (!transport.fallbacks().isEmpty() && !config.transport().equals("auto")) {
            log.warn("node {}: transport {} asked for, running on {}", config.nodeName(), config.transport(), transport);
        }
        acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(transport.ioHandlers());
        RedisConnections connections = null;
        RedisBroker redisBroker = null;
        ShardedBroker shardedRedis = null;
        RedisStreams stream = null;
        try {
            // The port must be known before the route token, so bind first and admit nothing yet.
            engine = new EngineServer(config.engine(), metrics);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                    .childHandler(new HttpServerInitializer(engine, new StaticContent(), metrics, config.nodeName(),
                            this::readinessDetail));
            serverChannel = bootstrap.bind(config.bind(), config.port()).sync().channel();
            phases.done("Netty bind");
            int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
            advertiseAddress = config.advertiseAddress() != null ? config.advertiseAddress()
                    : new HostPort(advertisable(config.bind()), port);
            String routeToken = advertiseAddress.routeToken();
            connections = config.redis() == null ? null : RedisConnections.open(config.redis());
            phases.done("Redis connect");
            AdapterSettings adapter = config.adapter();
            AdapterFactory adapters = adapter.recovers()
                    ? InMemorySessionAdapter.factory(adapter.maxDisconnectionDuration()) : AdapterFactory.local();
            if (connections != null && adapter.streams()) {
                stream = new RedisStreams(connections, adapter.streamMaxLen(), metrics);
                // Broadcasts and socket changes go on the stream; requests that wait for answers by pub/sub.
                redisBroker = RedisBroker.forStreams(connections, metrics);
                adapters = RedisStreamsAdapter.factory(stream, redisBroker, adapter.recovers()
                        ? adapter.maxDisconnectionDuration() : Duration.ZERO, metrics);
            } else if (connections != null && config.shardedPubSub()) {
                shardedRedis = new ShardedBroker(connections, metrics);
                adapters = ShardedRedisAdapter.factory(shardedRedis, config.subscriptionMode(), metrics);
            } else if (connections != null) {
                redisBroker = new RedisBroker(connections, metrics);
                adapters = RedisAdapter.factory(redisBroker, metrics);
            }
            io = new SocketIoServer(engine, adapters, config.connectTimeout(),
                    adapter.recovers() ? ConnectionStateRecovery.on() : ConnectionStateRecovery.off());
            metrics.socketsConnected(io::connectedSockets);
            redis = connections;
            broker = redisBroker;
            shardedBroker = shardedRedis;
            streams = stream;
            application.accept(this);
            phases.done("application");
            // After the application: a socket is then reported with the rooms its handlers joined.
            adminUi = config.adminUi() == null ? null
                    : AdminUi.instrument(io, config.adminUi(), config.nodeName(), engine);
            // With Redis, the node publishes its session count for the fleet and sheds what is above its share.
            rebalancer = connections == null ? null : new Rebalancer(config.nodeName(), engine, new RedisLoadBoard(connections),
                    metrics, config.rebalancing().sessionsPerSecond(), config.rebalancing().tolerancePercent());
            engine.advertise(routeToken);
            if (rebalancer != null) {
                rebalancer.start();
            }
        } catch (RuntimeException | InterruptedException e) {
            if (redisBroker != null) {
                redisBroker.close();
            }
            if (stream != null) {
                stream.close();
            }
            if (connections != null) {
                connections.close();
            }
            if (shardedRedis != null) {
                shardedRedis.close();
            }
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("node {} started: {}", config.nodeName(), phases);
        log.info("node {} listening on {} (advertised as {}, route token {}, transport {}, {})", config.nodeName(),
                serverChannel.localAddress(), advertiseAddress, engine.routeToken(),
                transport, redis == null
                        ? (config.adapter().recovers() ? "single node, sessions kept in memory" : "single node")
                        : (streams != null ? "Redis streams adapter on " : shardedBroker != null
                        ? "sharded Redis adapter (subscription mode " + config.subscriptionMode().wireName() + ") on "
                        : "Redis adapter on ") + redis.description());
    }

    private String readinessDetail() {
        RedisBroker redis = broker;
        if (streams != null) {
            return "redis: " + streams.state() + ", requests " + redis.subscriberState() + "\n";
        }
        ShardedBroker sharded = shardedBroker;
        return redis != null ? "redis: " + redis.subscriberState() + "\n"
                : sharded != null ? "redis: " + sharded.subscriberState() + "\n" : "";
    }

    /** Binds and starts serving; the returned node accepts connections at once. */
    public static SocketNode start(NodeConfig config) throws InterruptedException {
        return new SocketNode(config, node -> { });
    }

    /** Like {@link #start(NodeConfig)}, installing the application's handlers before the first client is admitted. */
    public static SocketNode start(NodeConfig config, Consumer<SocketNode> application) throws InterruptedException {
        return new SocketNode(config, application);
    }

    /** The IP others reach a node at that listens on {@code bind}: for a wildcard, the pod's IP. */
    private static String advertisable(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            return Optional.ofNullable(System.getenv("POD_IP")).orElse("127.0.0.1");
        }
        return bind;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public HostPort advertiseAddress() {
        return advertiseAddress;
    }

    /** The socket I/O the event loops run on, and why others were passed over. */
    public NetworkTransport transport() {
        return transport;
    }

    public SocketIoServer io() {
        return io;
    }

    public EngineServer engine() {
        return engine;
    }

    public NodeConfig config() {
        return config;
    }

    public Optional<RedisBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /** The Redis stream connection, with the streams adapter. */
    public Optional<RedisStreams> streams() {
        return Optional.ofNullable(streams);
    }

    /** The node's way to Redis, shared by every Redis user in it; empty for a single node. */
    public Optional<RedisConnections> redis() {
        return Optional.ofNullable(redis);
    }

    /** The sharded pub/sub broker, when the node runs on Redis with REDIS_PUBSUB=sharded. */
    public Optional<ShardedBroker> shardedBroker() {
        return Optional.ofNullable(shardedBroker);
    }

    /** The rebalancer, on a node with Redis. */
    public Optional<Rebalancer> rebalancer() {
        return Optional.ofNullable(rebalancer);
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Refuses new sessions at once, writes every live session for recovery (up to
     * {@link #SESSION_WRITE_WAIT}), then closes the open ones spread over the drain period.
     */
    public CompletableFuture<Void> drain() {
        return engine.drain(config.drainPeriod(), io::writeLiveSessions, SESSION_WRITE_WAIT);
    }

    @Override
    public void close() {
        if (adminUi != null) {
            adminUi.close();
        }
        if (rebalancer != null) {
            rebalancer.close();
        }
        engine.closeAll();
        serverChannel.close().syncUninterruptibly();
        io.close();
        if (redis != null) {
            redis.close();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
