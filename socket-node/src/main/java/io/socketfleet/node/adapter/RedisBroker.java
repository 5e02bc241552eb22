package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;
import io.socketfleet.node.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.HostAndPort;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The node's connection to Redis: publishes broadcasts from a background thread (so the
 * event loops never wait on Redis) and keeps one pattern subscription to every broadcast
 * channel, plus plain subscriptions to the channels the adapters ask for (each namespace's
 * request and response channels: plain, because Node's adapter counts the servers of a
 * fleet with {@code PUBSUB NUMSUB} on the request channel). Whatever ends the subscription — Redis going away or any Throwable while a message
 * is handled — the subscriber restarts it with backoff; it never dies silently, and
 * {@link #isUp()} is true only while it is subscribed. While Redis is down the node keeps
 * serving its own clients; broadcasts to other nodes are dropped and counted, not queued.
 *
 * <p>A subscription is watched: it is pinged every {@value #WATCH_PERIOD_MILLIS} ms and dropped
 * (then restarted) when Redis stops answering — a master that vanished without closing its
 * connections would otherwise hold the node deaf forever — or, with Sentinel, when the Sentinels
 * name another master than the one it is on.
 */
public final class RedisBroker implements PubSub, AutoCloseable {

    /** Every broadcast channel of every namespace: {@code socket.io#<nsp>#[<room>#]}. */
    static final String BROADCAST_PATTERN = "socket.io#*";
    static final long WATCH_PERIOD_MILLIS = 2_000;
    private static final long PONG_DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(3 * WATCH_PERIOD_MILLIS);

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final String uid = UUID.randomUUID().toString().substring(0, 8);
    /**
     * What every subscription starts with and always holds (the adapters' channels join it): the
     * classic adapter's pattern of every broadcast channel, or the streams adapter's own channel.
     */
    private final byte[] first;
    private final boolean firstIsPattern;
    private final RedisConnections redis;
    private final NodeMetrics metrics;
    private final ThreadPoolExecutor publisher;
    private final List<BiConsumer<String, byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final Thread subscriber;
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-subscription-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Subscription subscription;
    private volatile boolean up;
    private volatile String downReason = "connecting";
    private volatile boolean closed;
    private boolean outageLogged;

    /** The classic adapter's broker: subscribed to every broadcast channel. */
    public RedisBroker(RedisConnections redis, NodeMetrics metrics) {
        this(redis, metrics, uid -> BROADCAST_PATTERN, true);
    }

    /**
     * The streams adapter's broker: broadcasts travel on the stream, so it holds plain subscriptions
     * only, as the Node adapter does — each namespace's request channel (which {@code PUBSUB NUMSUB}
     * counts) and this node's response channel, starting with the main namespace's
     * {@code socket.io#/#<uid>#}. No pattern: an ACL admits a pattern subscription only to a
     * pattern it names literally, and this one would hold the node's uid.
     */
    public static RedisBroker forStreams(RedisConnections redis, NodeMetrics metrics) {
        return new RedisBroker(redis, metrics, uid -> "socket.io#/#" + uid + "#", false);
    }

    private RedisBroker(RedisConnections redis, NodeMetrics metrics, UnaryOperator<String> firstOf, boolean pattern) {
        this.first = firstOf.apply(uid).getBytes(StandardCharsets.UTF_8);
        this.firstIsPattern = pattern;
        this.redis = redis;
        this.metrics = metrics;
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                runnable -> new Thread(runnable, "redis-publisher"), (task, pool) -> metrics.broadcastDropped());
        metrics.redisConnected(() -> up ? 1 : 0);
        this.subscriber = new Thread(this::subscribeForever, "redis-subscriber");
        this.subscriber.setDaemon(true);
        this.subscriber.start();
        watch.scheduleWithFixedDelay(this::watchSubscription, WATCH_PERIOD_MILLIS, WATCH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** True while the subscription to the fleet's broadcasts is in place. */
    public boolean isUp() {
        return up;
    }

    /** The subscriber's state in a few words, for /readyz: "subscribed" or why it is not. */
    public String subscriberState() {
        return up ? "subscribed" : "not subscribed (" + downReason + "), retrying with backoff";
    }

    /** Listeners run on the subscriber thread. */
    @Override
    public void addListener(BiConsumer<String, byte[]> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(BiConsumer<String, byte[]> listener) {
        listeners.remove(listener);
    }

    @Override
    public void publish(String channel, byte[] message) {
        if (!up) {
            metrics.broadcastDropped();
            return;
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        publisher.execute(() -> {
            try {
                redis.commands().publish(name, message);
            } catch (RuntimeException stale) {
                // A pooled connection may have died with a Redis that restarted since it was last used;
                // Jedis discards it, so the second try goes out on a fresh one. Whether Redis is up is the
                // subscriber's to say: marking it down here would stop publishing until the next outage.
                try {
                    redis.commands().publish(name, message);
                } catch (RuntimeException e) {
                    metrics.broadcastDropped();
                    log.warn("dropped a broadcast: publishing to {} failed ({})", redis.description(), e.getMessage());
                    return;
                }
            }
            metrics.broadcastPublished();
        });
    }

    @Override
    public CompletableFuture<Long> publishCounted(String channel, byte[] message) {
        CompletableFuture<Long> receivers = new CompletableFuture<>();
        if (!up) {
            receivers.completeExceptionally(new IllegalStateException(redis.description() + " is unavailable"));
            return receivers;
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        try {
            publisher.execute(() -> {
                try {
                    receivers.complete(publishAndCount(channel, name, message));
                } catch (RuntimeException stale) {
                    // As in publish: a pooled connection may be stale after a Redis restart; one retry on a fresh one.
                    try {
                        receivers.complete(publishAndCount(channel, name, message));
                    } catch (RuntimeException e) {
                        receivers.completeExceptionally(e);
                    }
                }
            });
        } catch (RuntimeException rejected) {
            receivers.completeExceptionally(rejected);
        }
        return receivers;
    }

    /**
     * PUBLISH answers how many subscribers got the message — on one Redis, exactly those that
     * will answer. A Cluster carries it to every node but counts only the one it was sent to, so
     * there the subscribers of every node are added up instead (as Node's adapter counts).
     */
    private long publishAndCount(String channel, byte[] name, byte[] message) {
        long receivers = redis.commands().publish(name, message);
        if (!redis.cluster()) {
            return receivers;
        }
        long subscribers = 0;
        for (ConnectionPool node : ((RedisClusterClient) redis.commands()).getClusterNodes().values()) {
            try (Connection connection = node.getResource()) {
                subscribers += new Jedis(connection).pubsubNumSub(channel).getOrDefault(channel, 0L);
            }
        }
        return subscribers;
    }

    @Override
    public void subscribe(String channel) {
        if (channels.add(channel)) {
            Subscription current = subscription;
            if (current != null && current.isSubscribed()) {
                current.subscribeTo(Set.of(channel));
            }
        }
    }

    @Override
    public void unsubscribe(String channel) {
        if (channels.remove(channel)) {
            Subscription current = subscription;
            if (current != null && current.isSubscribed()) {
                try {
                    current.unsubscribeFrom(channel);
                } catch (RuntimeException e) {
                    // The connection broke: the next subscription is made without the channel anyway.
                    log.debug("unsubscribing {} failed: {}", channel, e.toString());
                }
            }
        }
    }

    private void subscribeForever() {
        Backoff backoff = new Backoff();
        while (!closed) {
            try {
                HostAndPort node = redis.subscriptionNode();
                try (Connection connection = redis.connect(node)) {
                    Subscription current = new Subscription(node, connection);
                    subscription = current;
                    if (firstIsPattern) {
                        current.proceedWithPatterns(connection, first);
                    } else {
                        current.proceed(connection, first);
                    }
                }
                backoff.reset();
                markDown(null);
            } catch (Throwable e) {
                // Anything at all — a lost connection, or an Error out of a message's handling — ends
                // this subscription only; the loop starts a new one.
                markDown(e);
            }
            // Nothing to watch until the next one is in place (a dead one still counts itself subscribed).
            subscription = null;
            if (closed) {
                break;
            }
            if (!backoff.pause()) {
                return;
            }
        }
    }

    private synchronized void markDown(Throwable cause) {
        if (closed) {
            return;
        }
        up = false;
        downReason = cause == null ? "subscription ended" : describe(cause);
        if (cause != null) {
            metrics.redisSubscriberFailed();
        }
        if (cause instanceof Error) {
            log.error("Redis subscriber failed; restarting it with backoff", cause);
        } else if (!outageLogged) {
            log.warn("{} unavailable ({}); serving local clients only, reconnecting with backoff",
                    redis.description(), cause == null ? "connection lost" : describe(cause));
            outageLogged = true;
        }
    }

    /** An exception and what caused it, in one line: "failed to create socket" alone hides a TLS refusal. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    private synchronized void markUp(HostAndPort node) {
        if (outageLogged) {
            log.info("{} reachable again (subscribed at {}); cross-node broadcast resumed", redis.description(), node);
        } else if (!up) {
            log.info("subscribed to fleet broadcasts on {} at {}", redis.description(), node);
        }
        outageLogged = false;
        if (!up) {
            // Open a publishing connection now, so the first broadcast does not wait for a (TLS) handshake.
            publisher.execute(this::warmUp);
        }
        up = true;
    }

    private void warmUp() {
        try {
            redis.commands().ping();
        } catch (RuntimeException e) {
            // The first broadcast will try again.
        }
    }

    @Override
    public void close() {
        closed = true;
        Subscription current = subscription;
        if (current != null && current.isSubscribed()) {
            try {
                current.punsubscribe();
            } catch (RuntimeException ignored) {
                // the connection is going away anyway
            }
        }
        subscriber.interrupt();
        watch.shutdownNow();
        publisher.shutdown();
        // The connections are the node's: other Redis users share them.
    }

    /**
     * Drops the subscription's connection (the subscriber then starts a new one) when Redis stopped
     * answering its pings, or when the Sentinels now name another master; else pings it again.
     */
    private void watchSubscription() {
        Subscription current = subscription;
        if (closed || current == null || !current.isSubscribed()) {
            return;
        }
        try {
            if (System.nanoTime() - current.lastPong > PONG_DEADLINE_NANOS) {
                log.warn("Redis at {} stopped answering the subscription's pings; reconnecting", current.node);
                current.connection.disconnect();
            } else if (!redis.isCurrent(current.node)) {
                log.info("Redis master moved away from {}; resubscribing on the new one", current.node);
                current.connection.disconnect();
            } else {
                current.sendPing();
            }
        } catch (RuntimeException e) {
            // Sentinels unreachable or the connection already gone: the pong deadline decides next time.
        }
    }

    private final class Subscription extends BinaryJedisPubSub {
        final HostAndPort node;
        final Connection connection;
        volatile long lastPong = System.nanoTime();
        /** Set on the subscriber thread once the first subscription is confirmed. */
        private boolean started;

        Subscription(HostAndPort node, Connection connection) {
            this.node = node;
            this.connection = connection;
        }

        @Override
        public void onPSubscribe(byte[] pattern, int subscribedChannels) {
            started();
        }

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (!firstIsPattern && Arrays.equals(channel, first)) {
                started();
            }
        }

        /** The first subscription is in place (once per connection: later ones re-confirm the same channel). */
        private void started() {
            lastPong = System.nanoTime();
            if (!started) {
                started = true;
                // Channels asked for while there was no subscription (or before this one) join it now.
                subscribeTo(Set.copyOf(channels));
            }
            markUp(node);
        }

        @Override
        public void onPong(byte[] pattern) {
            lastPong = System.nanoTime();
        }

        /** A ping on the subscription; written under the same lock as subscriptions, so commands never interleave. */
        synchronized void sendPing() {
            ping();
        }

        /** Writes go out from whichever thread asks; one at a time, so commands never interleave. */
        synchronized void subscribeTo(Set<String> names) {
            if (!names.isEmpty()) {
                subscribe(names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
            }
        }

        /** The broadcast pattern stays subscribed, so this never ends the subscription. */
        synchronized void unsubscribeFrom(String name) {
            unsubscribe(name.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
            onMessage(channel, message);
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            String name = new String(channel, StandardCharsets.UTF_8);
            for (BiConsumer<String, byte[]> listener : listeners) {
                try {
                    listener.accept(name, message);
                } catch (RuntimeException e) {
                    log.warn("dropping a malformed broadcast on {}: {}", name, e.getMessage());
                }
                // An Error goes on up and ends the subscription, which subscribeForever restarts.
            }
        }
    }
}
