package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.resps.StreamEntry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An adapter on the Redis stream of {@code @socket.io/redis-streams-adapter} 0.3.1, so Node
 * socket.io servers with that adapter are peers, with connection state recovery across the
 * fleet. Unlike the Node adapter it keeps the session of every connected socket in Redis (written
 * when it connects or changes rooms, refreshed while it lives), so the clients of a node that is
 * killed recover too; and it delivers its own broadcasts from the stream like everyone else's,
 * so every socket gets entries in stream order and a recovering socket can drop what it already
 * had by offset.
 */
public final class RedisStreamsAdapter extends Adapter {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
    private static final String BROADCAST = Integer.toString(ClusterMessageType.BROADCAST.code());

    private final RedisStreams streams;
    private final NodeMetrics metrics;
    private final String uid = UUID.randomUUID().toString().substring(0, 6);
    private final long windowMillis;
    private final long liveTtlMillis;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;

    /** A connected socket's session and the value this node last wrote for it. */
    private static final class Tracked {
        final Supplier<Session> current;
        /** Guarded by this. */
        String written;

        Tracked(Supplier<Session> current) {
            this.current = current;
        }
    }

    RedisStreamsAdapter(String namespace, LocalSockets sockets, RedisStreams streams, Duration window,
                        ScheduledExecutorService refresher, NodeMetrics metrics) {
        super(namespace, sockets);
        this.streams = streams;
        this.metrics = metrics;
        this.windowMillis = window.toMillis();
        this.refresher = refresher;
        Duration refresh = refreshInterval(window);
        this.liveTtlMillis = windowMillis + 2 * refresh.toMillis();
        streams.addListener(this::onEntry);
        if (windowMillis > 0) {
            refresher.scheduleWithFixedDelay(this::refreshAll, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Live sessions are written again well within their time to live. */
    private static Duration refreshInterval(Duration window) {
        return Duration.ofMillis(Math.max(1_000, Math.min(window.toMillis() / 4, 10_000)));
    }

    /**
     * Every namespace on this node's stream connection; {@code window} is the recovery window
     * (zero: the stream carries broadcasts, nobody recovers).
     */
    public static AdapterFactory factory(RedisStreams streams, Duration window, NodeMetrics metrics) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "session-refresher");
            thread.setDaemon(true);
            return thread;
        });
        return new AdapterFactory() {
            @Override
            public Adapter create(String namespace, LocalSockets sockets) {
                return new RedisStreamsAdapter(namespace, sockets, streams, window, refresher, metrics);
            }

            @Override
            public void close() {
                refresher.shutdownNow();
                streams.close();
            }
        };
    }

    @Override
    public boolean recoversSessions() {
        return windowMillis > 0;
    }

    // ---- broadcasts ------------------------------------------------------------------------

    /** Appends to the stream; the reader delivers it here too, in stream order. Local ones stay here. */
    @Override
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        if (options.local()) {
            deliverLocally(packet, options);
            return;
        }
        ClusterMessage message = new ClusterMessage(uid, namespace,
                new ClusterMessage.Broadcast(packet, ClusterMessage.Options.of(options), null));
        streams.append(fields(message)).whenComplete((offset, error) -> {
            if (error != null) {
                // Redis is away: this node's own clients still get it, without an offset to recover from.
                metrics.broadcastDropped();
                deliverLocally(packet, options);
            } else {
                metrics.broadcastPublished();
            }
        });
    }

    /** A message as the Node adapter writes its stream entry: type as text, data as JSON or base64 msgpack. */
    static Map<String, String> fields(ClusterMessage message) {
        JsonNode data = ClusterMessageCodec.data(message);
        String encoded = ClusterMessageCodec.needsMsgpack(message)
                ? Base64.getEncoder().encodeToString(ClusterMessageCodec.msgpack(data))
                : new String(ClusterMessageCodec.json(data), StandardCharsets.UTF_8);
        return Map.of("uid", message.uid(), "nsp", message.nsp(), "type", Integer.toString(message.type().code()),
                "data", encoded);
    }

    /** Reads a stream entry as the Node adapter does; IllegalArgumentException when it is none. */
    static ClusterMessage message(Map<String, String> fields) {
        String data = fields.get("data");
        JsonNode tree = data == null ? null
                : ClusterMessageCodec.read(data.startsWith("{") ? data.getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(data));
        try {
            return ClusterMessageCodec.fromParts(fields.get("uid"), fields.get("nsp"), Integer.parseInt(fields.get("type")), tree);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no numeric type");
        }
    }

    private void onEntry(String offset, Map<String, String> fields) {
        if (!namespace.equals(fields.get("nsp")) || !BROADCAST.equals(fields.get("type"))) {
            return;
        }
        ClusterMessage message = message(fields);
        if (message.body() instanceof ClusterMessage.Broadcast broadcast && !broadcast.withAck()) {
            if (!uid.equals(message.uid())) {
                metrics.broadcastReceived();
            }
            BroadcastPacket packet = recoversSessions() ? broadcast.packet().withOffset(offset) : broadcast.packet();
            deliverLocally(packet, broadcast.opts().broadcastOptions());
        }
    }

    // ---- sessions --------------------------------------------------------------------------

    @Override
    public void sessionOpened(String pid, Supplier<Session> current) {
        Tracked session = new Tracked(current);
        tracked.put(pid, session);
        write(pid, session, liveTtlMillis);
    }

    @Override
    public void sessionChanged(String pid) {
        Tracked session = tracked.get(pid);
        if (session != null) {
            write(pid, session, liveTtlMillis);
        }
    }

    private void refreshAll() {
        tracked.forEach((pid, session) -> write(pid, session, liveTtlMillis));
    }

    /** Writes over what this node wrote last, never over a session another node has taken since. */
    private void write(String pid, Tracked session, long ttlMillis) {
        String value;
        try {
            value = encode(session.current.get());
        } catch (RuntimeException e) {
            log.warn("could not encode session {}: {}", pid, e.toString());
            return;
        }
        // Submitted under the lock, so the writer thread applies them in the order 'expected' assumes.
        synchronized (session) {
            String expected = session.written;
            session.written = value;
            streams.writeSession(pid, expected, value, ttlMillis).whenComplete((written, error) -> {
                if (error == null && !written) {
                    // Someone took it (the client is back elsewhere): this node stops writing it.
                    tracked.remove(pid, session);
                }
            });
        }
    }

    @Override
    public void persistSession(Session session) {
        Tracked live = tracked.remove(session.pid());
        String value = encode(session);
        if (live == null) {
            streams.writeSession(session.pid(), null, value, windowMillis);
            return;
        }
        synchronized (live) {
            streams.writeSession(session.pid(), live.written, value, windowMillis);
        }
    }

    @Override
    public void discardSession(String pid) {
        Tracked live = tracked.remove(pid);
        if (live != null) {
            synchronized (live) {
                if (live.written != null) {
                    streams.deleteSession(pid, live.written);
                }
            }
        }
    }

    @Override
    public CompletableFuture<Optional<Session>> takeSession(String pid, String offset) {
        return streams.takeSession(pid).thenCombine(streams.holds(offset), (value, held) ->
                value != null && held ? Optional.of(decode(value)) : Optional.empty());
    }

    @Override
    public CompletableFuture<List<BroadcastPacket>> missedPackets(Session session, String offset) {
        return streams.entriesAfter(offset).thenApply(entries -> {
            List<BroadcastPacket> missed = new ArrayList<>();
            for (StreamEntry entry : entries) {
                Map<String, String> fields = entry.getFields();
                if (!namespace.equals(fields.get("nsp")) || !BROADCAST.equals(fields.get("type"))) {
                    continue;
                }
                try {
                    if (message(fields).body() instanceof ClusterMessage.Broadcast b && !b.withAck()
                            && session.reachedBy(b.opts().broadcastOptions())) {
                        missed.add(b.packet().withOffset(entry.getID().toString()));
                    }
                } catch (RuntimeException e) {
                    log.debug("skipping stream entry {}: {}", entry.getID(), e.getMessage());
                }
            }
            return missed;
        });
    }

    /** A session as the Node adapter stores it: base64 of msgpack {sid, pid, rooms, data}. */
    static String encode(Session session) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("sid", session.sid());
        tree.put("pid", session.pid());
        ArrayNode rooms = tree.putArray("rooms");
        session.rooms().forEach(rooms::add);
        tree.set("data", session.data());
        return Base64.getEncoder().encodeToString(ClusterMessageCodec.msgpack(tree));
    }

    static Session decode(String value) {
        JsonNode tree = ClusterMessageCodec.read(Base64.getDecoder().decode(value));
        List<String> rooms = new ArrayList<>();
        tree.path("rooms").forEach(room -> rooms.add(room.asText()));
        JsonNode data = tree.get("data");
        return new Session(tree.path("sid").asText(), tree.path("pid").asText(), rooms,
                data == null ? JsonNodeFactory.instance.objectNode() : data);
    }
}
