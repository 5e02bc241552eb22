package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.socketfleet.node.redis.RedisConnections;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The node's sharded pub/sub on Redis 7 — one Redis, a master behind Sentinels, or a Redis Cluster,
 * as the node's {@link RedisConnections} reach it. Publishes
 * ({@code SPUBLISH}, whose reply counts the receivers) go out on a background thread, routed by
 * slot in a cluster. Subscriptions ({@code SSUBSCRIBE}) are held on one connection per server
 * that owns a subscribed channel's slot, one channel per command (a cluster refuses several slots
 * in one). Whatever ends a connection — Redis going away, a slot moved (MOVED, or the server
 * unsubscribing the channel), any Throwable while a message is handled — a supervisor rereads the
 * topology and resubscribes everything with backoff; {@link #isUp()} is true only while every
 * subscribed channel is in place. While it is down, messages are dropped and counted, not queued.
 *
 * <p>Every {@value #WATCH_PERIOD_MILLIS} ms the topology is checked: a Cluster whose slots moved (a
 * failover, a reshard) or Sentinels naming another master end the generation, so subscriptions follow
 * the channels to their new owners.
 */
public final class ShardedBroker implements ShardedChannels, AutoCloseable {

    static final long WATCH_PERIOD_MILLIS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(ShardedBroker.class);

    private final String uid = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final RedisConnections redis;
    private final NodeMetrics metrics;
    private final ThreadPoolExecutor publisher;
    private final List<BiConsumer<String, byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-sharded-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService subscriptions = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-sharded-subscriptions");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread supervisor;
    private final Object generationLock = new Object();
    private Generation generation;
    private volatile boolean closed;
    private volatile String downReason = "connecting";
    private boolean outageLogged;

    public ShardedBroker(RedisConnections redis, NodeMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                runnable -> new Thread(runnable, "redis-sharded-publisher"), (task, pool) -> metrics.broadcastDropped());
        metrics.redisConnected(() -> isUp() ? 1 : 0);
        this.supervisor = new Thread(this::superviseForever, "redis-sharded-subscriber");
        this.supervisor.setDaemon(true);
        this.supervisor.start();
        watch.scheduleWithFixedDelay(this::watchTopology, WATCH_PERIOD_MILLIS, WATCH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Whether it talks to a Redis Cluster, channels spread over its masters by slot. */
    public boolean isCluster() {
        return redis.cluster();
    }

    /** True while every subscribed channel is subscribed on the server that owns it. */
    public boolean isUp() {
        Generation current;
        synchronized (generationLock) {
            current = generation;
        }
        return current != null && current.allSubscribed();
    }

    /** The subscriber's state in a few words, for /readyz. */
    public String subscriberState() {
        return isUp() ? "subscribed (sharded, " + redis.description() + ")"
                : "not subscribed (" + downReason + "), retrying with backoff";
    }

    @Override
    public void addListener(BiConsumer<String, byte[]> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(BiConsumer<String, byte[]> listener) {
        listeners.remove(listener);
    }

    @Override
    public void subscribe(String channel) {
        // On a thread of its own, in order: a caller (an adapter joining a room) never waits on Redis.
        if (channels.add(channel)) {
            subscriptions.execute(() -> {
                synchronized (generationLock) {
                    if (generation != null && channels.contains(channel)) {
                        generation.subscribe(channel);
                    }
                }
            });
        }
    }

    @Override
    public void unsubscribe(String channel) {
        if (channels.remove(channel)) {
            subscriptions.execute(() -> {
                synchronized (generationLock) {
                    if (generation != null && !channels.contains(channel)) {
                        generation.unsubscribe(channel);
                    }
                }
            });
        }
    }

    @Override
    public CompletableFuture<Long> publish(String channel, byte[] message) {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        return onPublisher(() -> {
            Long receivers = (Long) redis.commands().sendCommand(name, Protocol.Command.SPUBLISH, name, message);
            metrics.broadcastPublished();
            return receivers;
        }).whenComplete((receivers, error) -> {
            if (error != null) {
                metrics.broadcastDropped();
            }
        });
    }

    /** Runs a command on the publisher thread, once more on a fresh connection if a pooled one was stale. */
    private <T> CompletableFuture<T> onPublisher(Supplier<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!isUp()) {
            result.completeExceptionally(new IllegalStateException(redis.description() + " is unavailable"));
            return result;
        }
        try {
            publisher.execute(() -> {
                try {
                    result.complete(command.get());
                } catch (RuntimeException stale) {
                    try {
                        result.complete(command.get());
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    private void superviseForever() {
        Backoff backoff = new Backoff();
        while (!closed) {
            Generation current = null;
            try {
                ShardMap shards = topology();
                current = new Generation(shards);
                synchronized (generationLock) {
                    generation = current;
                    channels.forEach(current::subscribe);
                }
                Throwable failure = current.awaitFailure();
                if (!closed) {
                    markDown(failure);
                } else {
                    break;
                }
                if (current.wasUp()) {
                    backoff.reset();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                markDown(e);
            } finally {
                if (current != null) {
                    current.close();
                }
            }
            if (closed) {
                break;
            }
            if (!backoff.pause()) {
                return;
            }
        }
    }

    /** Who owns which channel now: the Cluster's slot map, else the one server subscriptions go to. */
    private ShardMap topology() {
        if (!redis.cluster()) {
            return ShardMap.single(redis.subscriptionNode());
        }
        try (Jedis node = new Jedis(redis.connect(redis.subscriptionNode()))) {
            return ShardMap.of(node.clusterShards());
        }
    }

    /** Ends the generation when its channels' owners changed; a failed check is Redis being away, which the connections see. */
    private void watchTopology() {
        Generation current;
        synchronized (generationLock) {
            current = generation;
        }
        if (current == null || closed) {
            return;
        }
        try {
            String moved = current.movedAway(topology());
            if (moved != null) {
                log.info("sharded pub/sub: {}; resubscribing where the channels are now", moved);
                current.fail(new IllegalStateException(moved));
            }
        } catch (RuntimeException unreachable) {
            // A subscriber connection fails on its own when its server is gone.
        }
    }

    private synchronized void markDown(Throwable cause) {
        if (closed) {
            return;
        }
        downReason = cause == null ? "subscription ended" : cause.toString();
        metrics.redisSubscriberFailed();
        if (cause instanceof Error) {
            log.error("sharded Redis subscriber failed; restarting it with backoff", cause);
        } else if (!outageLogged) {
            log.warn("{} unavailable for sharded pub/sub ({}); serving local clients only, reconnecting with backoff",
                    redis.description(), cause == null ? "connection lost" : cause.getMessage());
            outageLogged = true;
        }
    }

    private synchronized void markUp() {
        if (outageLogged) {
            log.info("{} reachable again; sharded pub/sub resumed", redis.description());
        } else {
            log.info("subscribed to the fleet's sharded channels on {}", redis.description());
        }
        outageLogged = false;
    }

    private void deliver(byte[] channel, byte[] message) {
        String name = new String(channel, StandardCharsets.UTF_8);
        for (BiConsumer<String, byte[]> listener : listeners) {
            try {
                listener.accept(name, message);
            } catch (RuntimeException e) {
                log.warn("dropping a malformed message on {}: {}", name, e.getMessage());
            }
            // An Error goes on up and ends that connection, which the supervisor restarts.
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (generationLock) {
            if (generation != null) {
                generation.fail(null);
            }
        }
        supervisor.interrupt();
        watch.shutdownNow();
        subscriptions.shutdown();
        publisher.shutdown();
    }

    /**
     * One topology's worth of subscriber connections, one per server owning a subscribed channel.
     * The first failure of any of them ends the whole generation; the supervisor starts the next.
     */
    private final class Generation {
        private final ShardMap shards;
        private final Map<HostAndPort, Shard> byServer = new HashMap<>();
        private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        private volatile boolean wasUp;

        Generation(ShardMap shards) {
            this.shards = shards;
        }

        /** Called under generationLock. */
        void subscribe(String channel) {
            HostAndPort owner = shards.owner(channel);
            if (owner == null) {
                fail(new IllegalStateException("no master owns the slot of " + channel));
                return;
            }
            byServer.computeIfAbsent(owner, Shard::new).subscribe(channel);
        }

        /** Called under generationLock. */
        void unsubscribe(String channel) {
            HostAndPort owner = shards.owner(channel);
            Shard shard = owner == null ? null : byServer.get(owner);
            if (shard != null) {
                shard.unsubscribe(channel);
            }
        }

        boolean allSubscribed() {
            if (failure.isDone()) {
                return false;
            }
            synchronized (generationLock) {
                for (Shard shard : byServer.values()) {
                    if (!shard.allSubscribed()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Logs the way back once every channel of this generation is in place. */
        void confirmedOne() {
            if (!wasUp && allSubscribed()) {
                wasUp = true;
                markUp();
            }
        }

        boolean wasUp() {
            return wasUp;
        }

        /** What moved, if a subscribed channel now belongs elsewhere (or a Sentinel names a new master); else null. */
        String movedAway(ShardMap now) {
            synchronized (generationLock) {
                for (Map.Entry<HostAndPort, Shard> entry : byServer.entrySet()) {
                    if (!redis.isCurrent(entry.getKey())) {
                        return entry.getKey() + " is no longer the master";
                    }
                    for (String name : entry.getValue().channels()) {
                        HostAndPort owner = now.owner(name);
                        if (!entry.getKey().equals(owner)) {
                            return name + " moved from " + entry.getKey() + " to " + owner;
                        }
                    }
                }
            }
            return null;
        }

        void fail(Throwable cause) {
            failure.complete(cause);
        }

        Throwable awaitFailure() throws InterruptedException {
            try {
                return failure.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
        }

        void close() {
            synchronized (generationLock) {
                if (generation == this) {
                    generation = null;
                }
                byServer.values().forEach(Shard::close);
            }
        }

        /**
         * The subscriber connection to one server: a thread that opens it with the first channel and
         * reads messages; further channels are subscribed from the callers' threads once the first
         * subscription is confirmed. It stays open while it holds any channel.
         */
        private final class Shard extends BinaryJedisShardedPubSub {
            private final HostAndPort server;
            private final Set<String> wanted = new HashSet<>();
            private final Set<String> sent = new HashSet<>();
            private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
            private Connection connection;
            private boolean ready;
            private boolean stopped;

            Shard(HostAndPort server) {
                this.server = server;
            }

            synchronized void subscribe(String channel) {
                if (!wanted.add(channel)) {
                    return;
                }
                if (connection == null) {
                    start(channel);
                } else if (ready && sent.add(channel)) {
                    ssubscribe(channel.getBytes(StandardCharsets.UTF_8));
                }
            }

            synchronized void unsubscribe(String channel) {
                wanted.remove(channel);
                if (ready && sent.remove(channel)) {
                    sunsubscribe(channel.getBytes(StandardCharsets.UTF_8));
                }
            }

            boolean allSubscribed() {
                synchronized (this) {
                    return confirmed.containsAll(wanted);
                }
            }

            synchronized Set<String> channels() {
                return Set.copyOf(wanted);
            }

            private void start(String first) {
                sent.add(first);
                Connection opened = redis.connect(server);
                connection = opened;
                Thread reader = new Thread(() -> {
                    try (opened) {
                        proceed(opened, first.getBytes(StandardCharsets.UTF_8));
                        synchronized (this) {
                            if (!stopped && !wanted.isEmpty()) {
                                // every channel went and one came back meanwhile: start over
                                fail(new IllegalStateException("subscription to " + server + " ended"));
                            }
                            connection = null;
                            ready = false;
                            sent.clear();
                        }
                    } catch (Throwable e) {
                        synchronized (this) {
                            if (stopped) {
                                return;
                            }
                        }
                        fail(e);
                    }
                }, "redis-shard-" + server);
                reader.setDaemon(true);
                reader.start();
            }

            @Override
            public void onSSubscribe(byte[] channel, int subscribedChannels) {
                confirmed.add(new String(channel, StandardCharsets.UTF_8));
                confirmedOne();
                synchronized (this) {
                    if (!ready) {
                        // the connection is in subscriber mode now: the channels asked for meanwhile follow
                        ready = true;
                        for (String name : wanted) {
                            if (sent.add(name)) {
                                ssubscribe(name.getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }

            @Override
            public void onSUnsubscribe(byte[] channel, int subscribedChannels) {
                String name = new String(channel, StandardCharsets.UTF_8);
                confirmed.remove(name);
                synchronized (this) {
                    if (wanted.contains(name) && sent.contains(name)) {
                        // the server dropped a channel still wanted: its slot moved to another master
                        fail(new IllegalStateException("Redis moved the slot of " + name + " away from " + server));
                    }
                }
            }

            @Override
            public void onSMessage(byte[] channel, byte[] message) {
                deliver(channel, message);
            }

            synchronized void close() {
                stopped = true;
                if (connection != null) {
                    try {
                        connection.disconnect();
                    } catch (RuntimeException ignored) {
                        // going away anyway
                    }
                }
            }
        }
    }
}
