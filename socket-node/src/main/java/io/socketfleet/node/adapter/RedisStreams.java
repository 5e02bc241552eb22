package io.socketfleet.node.adapter;

import io.socketfleet.node.metrics.NodeMetrics;
import io.socketfleet.node.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.StreamCommands;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A node's connection to the fleet's Redis stream, as {@code @socket.io/redis-streams-adapter}
 * 0.3.1 uses it: every namespace's cluster messages are entries of one stream
 * ({@code socket.io}, fields {@code uid}, {@code nsp}, {@code type}, {@code data}) appended with
 * {@code XADD MAXLEN ~ maxLen}, and sessions are keys {@code sio:session:<pid>}. One thread reads
 * the stream in order and hands each entry to the listeners; appends, session writes and session
 * takes go out in order from one writer thread; what recovering clients missed is read from a
 * small pool. When the connection breaks, the reader goes on from the last entry it read, so a
 * short outage loses nothing that reached the stream. The connections are the node's
 * ({@link RedisConnections}); they are closed by their owner.
 */
public final class RedisStreams implements SessionStore, AutoCloseable {

    public static final String STREAM = "socket.io";
    public static final String SESSION_PREFIX = "sio:session:";
    private static final int READ_COUNT = 100;
    private static final int BLOCK_MILLIS = 2_000;
    /** Writes a session (ARGV[1], for ARGV[2] ms) only if it still holds one of the values this node wrote (ARGV[3…]). */
    private static final String COMPARE_AND_SET = """
            local current = redis.call('GET', KEYS[1])
            for i = 3, #ARGV do
              if current == ARGV[i] then
                return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              end
            end
            return false""";
    /** Deletes a session only if it still holds one of the values this node wrote (ARGV). */
    private static final String COMPARE_AND_DELETE = """
            local current = redis.call('GET', KEYS[1])
            for i = 1, #ARGV do
              if current == ARGV[i] then
                return redis.call('DEL', KEYS[1])
              end
            end
            return 0""";
    /** How long closing waits for session writes already queued (the last sessions a drain closed). */
    private static final long FLUSH_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(RedisStreams.class);

    private final RedisConnections redis;
    private final long maxLen;
    private final NodeMetrics metrics;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "redis-stream-writer"));
    /** Reads of what recovering clients missed block on Redis; a burst of reconnects (a node died) must not queue behind one another. */
    private final ExecutorService readers = Executors.newFixedThreadPool(8, r -> daemon(r, "redis-session-reader"));
    private final List<BiConsumer<String, Map<String, String>>> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;
    /** The id of the last entry handed to the listeners; the reader thread's alone once it runs. */
    private String lastRead;
    /** The first entry this node appended: the reader must not start after it, or the node misses its own. */
    private volatile String firstAppended;
    private volatile boolean up;
    private volatile boolean closed;

    /** On the node's Redis connections (TLS, ACL user, Sentinel as configured); opening connects to nothing yet. */
    public RedisStreams(RedisConnections redis, long maxLen, NodeMetrics metrics) {
        this.redis = redis;
        this.maxLen = maxLen;
        this.metrics = metrics;
        metrics.redisConnected(() -> up ? 1 : 0);
        try {
            // Where reading starts, fixed before this node can append anything (it serves no one yet).
            lastRead = streamEnd(commands());
        } catch (RuntimeException redisAway) {
            // The reader settles it when Redis answers, not after anything this node appended meanwhile.
        }
        this.reader = daemon(this::readForever, "redis-stream-reader");
        this.reader.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Listeners get (entry id, fields) for every entry, in stream order, on the reader thread. */
    public void addListener(BiConsumer<String, Map<String, String>> listener) {
        listeners.add(listener);
    }

    public void removeListener(BiConsumer<String, Map<String, String>> listener) {
        listeners.remove(listener);
    }

    /** True while the reader is reading the stream. */
    public boolean isUp() {
        return up;
    }

    /** The reader's state in a few words, for /readyz. */
    public String state() {
        return up ? "reading stream " + STREAM : "not reading stream " + STREAM + ", retrying with backoff";
    }

    /** Appends an entry; completes with its id (the offset), in the order of the calls. */
    public CompletableFuture<String> append(Map<String, String> fields) {
        return onWriter(() -> {
            String id = commands().xadd(STREAM, XAddParams.xAddParams().maxLen(maxLen).approximateTrimming(), fields).toString();
            if (firstAppended == null) {
                firstAppended = id;
            }
            return id;
        });
    }

    /**
     * Writes a session for {@code ttlMillis}, in order with every other write; with {@code expected}
     * values, only over one of them (none: unconditionally). Completes with whether it was written.
     */
    @Override
    public CompletableFuture<Boolean> writeSession(String pid, List<String> expected, String value, long ttlMillis) {
        return onWriter(() -> {
            String key = SESSION_PREFIX + pid;
            if (expected.isEmpty()) {
                return "OK".equals(commands().set(key, value, SetParams.setParams().px(ttlMillis)));
            }
            List<String> args = new ArrayList<>(expected.size() + 2);
            args.add(value);
            args.add(Long.toString(ttlMillis));
            args.addAll(expected);
            return commands().eval(COMPARE_AND_SET, List.of(key), args) != null;
        });
    }

    /** On the writer thread, in order; once the node is closing, a failed future (nothing is written any more). */
    private <T> CompletableFuture<T> onWriter(Supplier<T> command) {
        try {
            return CompletableFuture.supplyAsync(command, writer);
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.failedFuture(closing);
        }
    }

    /** Deletes a session if it still holds one of the {@code expected} values. */
    @Override
    public void deleteSession(String pid, List<String> expected) {
        onWriter(() -> commands().eval(COMPARE_AND_DELETE, List.of(SESSION_PREFIX + pid), expected))
                .whenComplete((deleted, error) -> {
                    if (error != null) {
                        log.debug("could not delete session {}: {}", pid, error.getMessage());
                    }
                });
    }

    /**
     * Reads a session and leaves it in place for {@code keepMillis} more (GETEX); null when there is
     * none. The node that takes it writes its own value over it at once; until that write lands the
     * session stays findable, so a client that moves on again at once (shed by the rebalancer just
     * after it arrived) still recovers — the Node adapter's GET+DEL would leave nothing meanwhile.
     * Other nodes' late writes cannot bring an old state back: they only write over their own values.
     * In order with this node's writes, so a client back on the node it just left finds what the node
     * wrote for it last, not an older value.
     */
    public CompletableFuture<String> takeSession(String pid, long keepMillis) {
        return onWriter(() -> commands().getEx(SESSION_PREFIX + pid, GetExParams.getExParams().px(keepMillis)));
    }

    /** Whether the entry at this offset is still in the stream (not trimmed). */
    public CompletableFuture<Boolean> holds(String offset) {
        return read(() -> !commands().xrange(STREAM, offset, offset, 1).isEmpty());
    }

    /** Every entry after {@code offset}, read in pages, up to the stream's end at the time of the last page. */
    public CompletableFuture<List<StreamEntry>> entriesAfter(String offset) {
        return read(() -> {
            List<StreamEntry> all = new ArrayList<>();
            String from = offset;
            while (true) {
                List<StreamEntry> page = commands().xrange(STREAM, Offsets.next(from), "+", 1_000);
                if (page.isEmpty()) {
                    return all;
                }
                all.addAll(page);
                from = page.get(page.size() - 1).getID().toString();
            }
        });
    }

    private UnifiedJedis commands() {
        return redis.commands();
    }

    private <T> CompletableFuture<T> read(Supplier<T> command) {
        return CompletableFuture.supplyAsync(command, readers);
    }

    private void readForever() {
        Backoff backoff = new Backoff();
        while (!closed) {
            try {
                readFrom(redis.subscriptionNode());
                backoff.reset();
            } catch (Throwable e) {
                markDown(e);
            }
            if (closed) {
                return;
            }
            if (!backoff.pause()) {
                return;
            }
        }
    }

    /** Reads on one connection until it breaks, on from {@link #lastRead} (at first, the stream's current end). */
    private void readFrom(HostAndPort address) {
        try (Connection connection = redis.connect(address); Jedis jedis = new Jedis(connection)) {
            // A blocking XREAD must not time out the socket under it.
            connection.setSoTimeout(BLOCK_MILLIS + 5_000);
            if (lastRead == null) {
                String end = streamEnd(jedis);
                String first = firstAppended;
                lastRead = first != null && Offsets.compare(Offsets.previous(first), end) < 0 ? Offsets.previous(first) : end;
            }
            markUp(address);
            while (!closed) {
                var read = jedis.xread(XReadParams.xReadParams().count(READ_COUNT).block(BLOCK_MILLIS),
                        Map.of(STREAM, new StreamEntryID(lastRead)));
                if (read == null) {
                    continue;
                }
                for (var stream : read) {
                    for (StreamEntry entry : stream.getValue()) {
                        lastRead = entry.getID().toString();
                        dispatch(lastRead, entry.getFields());
                    }
                }
            }
        }
    }

    private static String streamEnd(StreamCommands redis) {
        List<StreamEntry> newest = redis.xrevrange(STREAM, "+", "-", 1);
        return newest.isEmpty() ? "0-0" : newest.get(0).getID().toString();
    }

    private void dispatch(String id, Map<String, String> fields) {
        for (BiConsumer<String, Map<String, String>> listener : listeners) {
            try {
                listener.accept(id, fields);
            } catch (RuntimeException e) {
                log.warn("dropping stream entry {}: {}", id, e.getMessage());
            }
        }
    }

    private void markUp(HostAndPort address) {
        if (!up) {
            log.info("reading the fleet's stream {} on Redis at {}", STREAM, address);
        }
        up = true;
    }

    private void markDown(Throwable cause) {
        if (closed) {
            return;
        }
        if (up) {
            log.warn("Redis ({}) unavailable ({}); serving local clients only, reconnecting with backoff",
                    redis.description(), cause.getMessage());
        }
        up = false;
        metrics.redisSubscriberFailed();
    }

    /**
     * Stops reading; writes already queued — the sessions of the last sockets a drain closed — still
     * go out, for a few seconds at most, before the owner closes the connections.
     */
    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        writer.shutdown();
        readers.shutdown();
        try {
            if (!writer.awaitTermination(FLUSH_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("session writes still queued after {} ms; leaving them", FLUSH_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
