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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * An adapter on the Redis stream of {@code @socket.io/redis-streams-adapter} 0.3.1, so Node
 * socket.io servers with that adapter are peers, with connection state recovery across the
 * fleet. Unlike the Node adapter it keeps the session of every connected socket in Redis (written
 * when it connects or changes rooms, refreshed while it lives), so the clients of a node that is
 * killed recover too; and it delivers its own broadcasts from the stream like everyone else's,
 * so every socket gets entries in stream order and a recovering socket can drop what it already
 * had by offset.
 *
 * <p>The fleet-wide operations travel as the Node adapter sends them: what changes sockets
 * (socketsJoin/Leave, disconnectSockets) as stream entries, in order with the broadcasts; the
 * requests that wait for answers (fetchSockets, serverSideEmit, broadcasts with acks) published
 * as msgpack on the namespace's channel {@code socket.io#<nsp>#}, and every answer on the
 * requester's {@code socket.io#<nsp>#<uid>#}. Servers are counted as Node counts them: the
 * subscribers of the namespace's channel, which is what the {@code PUBLISH} of a request reports
 * (Node asks {@code PUBSUB NUMSUB}). A node that stops closes its subscription and drops out of
 * the count at once; one that is killed drops out when Redis sees its connection close; one that
 * hangs still counts, and a request waits for it until its deadline, then returns the answers
 * that came.
 */
public final class RedisStreamsAdapter extends ClusterMessageAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
    private static final String BROADCAST = Integer.toString(ClusterMessageType.BROADCAST.code());
    /** A session not found is looked for this many times, this far apart, before the client gets a fresh one. */
    private static final int TAKE_ATTEMPTS = 3;
    private static final long TAKE_RETRY_MILLIS = 750;

    private final RedisStreams streams;
    private final PubSub pubSub;
    private final NodeMetrics metrics;
    /** Where requests that wait for answers go; every server of the namespace subscribes to it. */
    private final String requestChannel;
    private final long windowMillis;
    private final LiveSessions sessions;
    private final BiConsumer<String, Map<String, String>> entryListener = this::onEntry;
    private final BiConsumer<String, byte[]> publishedListener = this::onPublished;
    /** The periodic session refresh; null without recovery. */
    private final ScheduledFuture<?> refreshing;
    private final ScheduledExecutorService refresher;

    RedisStreamsAdapter(String namespace, LocalSockets sockets, RedisStreams streams, PubSub pubSub, Duration window,
                        ScheduledExecutorService refresher, NodeMetrics metrics) {
        super(namespace, sockets);
        this.streams = streams;
        this.pubSub = pubSub;
        this.metrics = metrics;
        this.requestChannel = "socket.io#" + namespace + "#";
        this.windowMillis = window.toMillis();
        this.refresher = refresher;
        Duration refresh = refreshInterval(window);
        this.sessions = new LiveSessions(streams, RedisStreamsAdapter::encode, windowMillis + 2 * refresh.toMillis(), windowMillis);
        streams.addListener(entryListener);
        pubSub.addListener(publishedListener);
        pubSub.subscribe(requestChannel);
        pubSub.subscribe(responseChannel(pubSub.uid()));
        refreshing = windowMillis > 0
                ? refresher.scheduleWithFixedDelay(sessions::refreshAll, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS)
                : null;
    }

    /** The namespace is gone from this node (an emptied dynamic child): stop reading and refreshing for it. */
    @Override
    public void close() {
        streams.removeListener(entryListener);
        pubSub.removeListener(publishedListener);
        pubSub.unsubscribe(requestChannel);
        pubSub.unsubscribe(responseChannel(pubSub.uid()));
        if (refreshing != null) {
            refreshing.cancel(false);
        }
    }

    /** Live sessions are written again well within their time to live. */
    private static Duration refreshInterval(Duration window) {
        return Duration.ofMillis(Math.max(1_000, Math.min(window.toMillis() / 4, 10_000)));
    }

    /**
     * Every namespace on this node's stream connection and its pub/sub broker
     * ({@link RedisBroker#forStreams}); {@code window} is the recovery window (zero: the stream
     * carries broadcasts, nobody recovers).
     */
    public static AdapterFactory factory(RedisStreams streams, RedisBroker broker, Duration window, NodeMetrics metrics) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "session-refresher");
            thread.setDaemon(true);
            return thread;
        });
        return new AdapterFactory() {
            @Override
            public Adapter create(String namespace, LocalSockets sockets) {
                return new RedisStreamsAdapter(namespace, sockets, streams, broker, window, refresher, metrics);
            }

            @Override
            public void close() {
                refresher.shutdownNow();
                broker.close();
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
        ClusterMessage message = new ClusterMessage(uid(), namespace,
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
        if (!namespace.equals(fields.get("nsp"))) {
            return;
        }
        ClusterMessage message = message(fields);
        if (message.body() instanceof ClusterMessage.Broadcast broadcast && !broadcast.withAck()) {
            // This node's own too: every socket gets the broadcasts in stream order, with their offsets.
            if (!uid().equals(message.uid())) {
                metrics.broadcastReceived();
            }
            BroadcastPacket packet = recoversSessions() ? broadcast.packet().withOffset(offset) : broadcast.packet();
            deliverLocally(packet, broadcast.opts().broadcastOptions());
        } else {
            onClusterMessage(message);
        }
    }

    /** A plain broadcast that came another way than the stream (Node sends none so): no offset to give. */
    @Override
    protected void onRemoteBroadcast(ClusterMessage.Broadcast broadcast) {
        metrics.broadcastReceived();
        deliverLocally(broadcast.packet(), broadcast.opts().broadcastOptions());
    }

    private void onPublished(String channel, byte[] payload) {
        if (channel.equals(requestChannel) || channel.equals(responseChannel(uid()))) {
            onClusterMessage(ClusterMessageCodec.decode(payload));
        }
    }

    // ---- fleet-wide operations ---------------------------------------------------------------

    @Override
    protected String uid() {
        return pubSub.uid();
    }

    private String responseChannel(String requesterUid) {
        return requestChannel + requesterUid + "#";
    }

    /**
     * Requests that wait for answers go on the namespace's channel, counted by who received them
     * (this node among them, it does not answer itself); the others on the stream, where their
     * order with the broadcasts holds.
     */
    @Override
    protected CompletableFuture<Integer> publishRequest(ClusterRequest request) {
        ClusterMessage.Body body = message(request);
        if (body == null) {
            return CompletableFuture.completedFuture(0);
        }
        ClusterMessage message = new ClusterMessage(uid(), namespace, body);
        if (waitsForAnswers(body)) {
            return pubSub.publishCounted(requestChannel, pubSubPayload(message))
                    .thenApply(receivers -> (int) Math.max(0, receivers - 1));
        }
        return streams.append(fields(message)).thenApply(offset -> 0);
    }

    @Override
    protected void publishReply(String requesterUid, ClusterReply reply) {
        ClusterMessage.Body body = message(reply);
        if (body != null) {
            pubSub.publish(responseChannel(requesterUid), pubSubPayload(new ClusterMessage(uid(), namespace, body)));
        }
    }

    /** What the Node adapter sends by pub/sub rather than on the stream (its "ephemeral" messages). */
    static boolean waitsForAnswers(ClusterMessage.Body body) {
        return body instanceof ClusterMessage.FetchSockets || body instanceof ClusterMessage.ServerSideEmit
                || body instanceof ClusterMessage.Broadcast broadcast && broadcast.withAck();
    }

    /** A message on pub/sub is always the whole object as msgpack, as the Node adapter reads it. */
    static byte[] pubSubPayload(ClusterMessage message) {
        return ClusterMessageCodec.msgpack(ClusterMessageCodec.tree(message));
    }

    // ---- sessions --------------------------------------------------------------------------

    @Override
    public void sessionOpened(String pid, Supplier<Session> current) {
        sessions.opened(pid, current);
    }

    @Override
    public void sessionChanged(String pid) {
        sessions.changed(pid);
    }

    /** Every live session written as it is now (a drain, before any transport closes). */
    @Override
    public CompletableFuture<Void> writeLiveSessions() {
        return sessions.writeAll();
    }

    @Override
    public void persistSession(Session session) {
        sessions.left(session);
    }

    @Override
    public void discardSession(String pid) {
        sessions.discarded(pid);
    }

    @Override
    public CompletableFuture<Optional<Session>> takeSession(String pid, String offset) {
        return takeSoon(pid, TAKE_ATTEMPTS).thenCombine(streams.holds(offset), (value, held) -> {
            if (value != null && held) {
                return Optional.of(decode(value));
            }
            // Why a client that asked to recover gets a fresh session (the pid is its secret: only its start is shown).
            log.info("no recovery for session {}…: {}", pid.substring(0, Math.min(4, pid.length())),
                    value == null ? "not in Redis (window passed, or taken by another connection)"
                            : "offset " + offset + " no longer in the stream");
            return Optional.empty();
        });
    }

    /**
     * The session, asked again a little later while it is not there: the node the client just left
     * may still be writing it (a client that moved twice within a second, the first node's write
     * still queued). This node's own writes are never overtaken: the take queues behind them.
     */
    private CompletableFuture<String> takeSoon(String pid, int attempts) {
        return streams.takeSession(pid, windowMillis).thenCompose(value -> {
            if (value != null || attempts <= 1) {
                return CompletableFuture.completedFuture(value);
            }
            Executor later = CompletableFuture.delayedExecutor(TAKE_RETRY_MILLIS, TimeUnit.MILLISECONDS, refresher);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> takeSoon(pid, attempts - 1));
        });
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
