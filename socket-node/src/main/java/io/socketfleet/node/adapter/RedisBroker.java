package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The node's connection to Redis: publishes broadcasts from a background thread (so the
 * event loops never wait on Redis) and keeps one pattern subscription to every broadcast
 * channel, plus plain subscriptions to the channels the adapters ask for (each namespace's
 * request and response channels: plain, because Node's adapter counts the servers of a
 * fleet with {@code PUBSUB NUMSUB} on the request channel). Whatever ends the subscription — Redis going away or any Throwable while a message
 * is handled — the subscriber restarts it with backoff; it never dies silently, and
 * {@link #isUp()} is true only while it is subscribed. While Redis is down the node keeps
 * serving its own clients; broadcasts to other nodes are dropped and counted, not queued.
 */
public final class RedisBroker implements PubSub, AutoCloseable {

    /** Every broadcast channel of every namespace: {@code socket.io#<nsp>#[<room>#]}. */
    static final String BROADCAST_PATTERN = "socket.io#*";
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    private final String uid = UUID.randomUUID().toString().substring(0, 8);
    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final JedisPooled commands;
    private final NodeMetrics metrics;
    private final ThreadPoolExecutor publisher;
    private final List<BiConsumer<String, byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final Thread subscriber;
    private volatile Subscription subscription;
    private volatile boolean up;
    private volatile String downReason = "connecting";
    private volatile boolean closed;
    private boolean outageLogged;

    public RedisBroker(URI url, String password, NodeMetrics metrics) {
        this.address = JedisURIHelper.getHostAndPort(url);
        String effectivePassword = password != null && !password.isEmpty() ? password : JedisURIHelper.getPassword(url);
        this.clientConfig = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(url))
                .password(effectivePassword)
                .database(JedisURIHelper.getDBIndex(url))
                .connectionTimeoutMillis(2_000)
                .socketTimeoutMillis(2_000)
                .clientName("socketfleet-node")
                .build();
        this.commands = new JedisPooled(address, clientConfig);
        this.metrics = metrics;
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                runnable -> new Thread(runnable, "redis-publisher"), (task, pool) -> metrics.broadcastDropped());
        metrics.redisConnected(() -> up ? 1 : 0);
        this.subscriber = new Thread(this::subscribeForever, "redis-subscriber");
        this.subscriber.setDaemon(true);
        this.subscriber.start();
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
    public void publish(String channel, byte[] message) {
        if (!up) {
            metrics.broadcastDropped();
            return;
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        publisher.execute(() -> {
            try {
                commands.publish(name, message);
            } catch (RuntimeException stale) {
                // A pooled connection may have died with a Redis that restarted since it was last used;
                // Jedis discards it, so the second try goes out on a fresh one. Whether Redis is up is the
                // subscriber's to say: marking it down here would stop publishing until the next outage.
                try {
                    commands.publish(name, message);
                } catch (RuntimeException e) {
                    metrics.broadcastDropped();
                    log.warn("dropped a broadcast: publishing to Redis at {} failed ({})", address, e.getMessage());
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
            receivers.completeExceptionally(new IllegalStateException("Redis at " + address + " is unavailable"));
            return receivers;
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        try {
            publisher.execute(() -> {
                try {
                    receivers.complete(commands.publish(name, message));
                } catch (RuntimeException stale) {
                    // As in publish: a pooled connection may be stale after a Redis restart; one retry on a fresh one.
                    try {
                        receivers.complete(commands.publish(name, message));
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

    @Override
    public void subscribe(String channel) {
        if (channels.add(channel)) {
            Subscription current = subscription;
            if (current != null && current.isSubscribed()) {
                current.subscribeTo(Set.of(channel));
            }
        }
    }

    private void subscribeForever() {
        long backoff = 100;
        while (!closed) {
            try (Jedis jedis = new Jedis(address, clientConfig)) {
                Subscription current = new Subscription();
                subscription = current;
                jedis.psubscribe(current, BROADCAST_PATTERN.getBytes(StandardCharsets.UTF_8));
                backoff = 100;
                markDown(null);
            } catch (Throwable e) {
                // Anything at all — a lost connection, or an Error out of a message's handling — ends
                // this subscription only; the loop starts a new one.
                markDown(e);
            }
            if (closed) {
                break;
            }
            try {
                Thread.sleep(backoff + (long) (Math.random() * backoff / 2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private synchronized void markDown(Throwable cause) {
        if (closed) {
            return;
        }
        up = false;
        downReason = cause == null ? "subscription ended" : cause.toString();
        if (cause != null) {
            metrics.redisSubscriberFailed();
        }
        if (cause instanceof Error) {
            log.error("Redis subscriber failed; restarting it with backoff", cause);
        } else if (!outageLogged) {
            log.warn("Redis at {} unavailable ({}); serving local clients only, reconnecting with backoff",
                    address, cause == null ? "connection lost" : cause.getMessage());
            outageLogged = true;
        }
    }

    private synchronized void markUp() {
        if (outageLogged) {
            log.info("Redis at {} reachable again; cross-node broadcast resumed", address);
        } else if (!up) {
            log.info("subscribed to fleet broadcasts on Redis at {}", address);
        }
        outageLogged = false;
        up = true;
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
        publisher.shutdown();
        commands.close();
    }

    private final class Subscription extends BinaryJedisPubSub {
        @Override
        public void onPSubscribe(byte[] pattern, int subscribedChannels) {
            // Channels asked for while there was no subscription (or before this one) join it now.
            subscribeTo(Set.copyOf(channels));
            markUp();
        }

        /** Writes go out from whichever thread asks; one at a time, so commands never interleave. */
        synchronized void subscribeTo(Set<String> names) {
            if (!names.isEmpty()) {
                subscribe(names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
            }
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
