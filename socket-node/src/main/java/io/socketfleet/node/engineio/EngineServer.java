package io.socketfleet.node.engineio;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The registry of Engine.IO sessions on this node, admission of new ones, and draining. */
public final class EngineServer {

    private static final Logger log = LoggerFactory.getLogger(EngineServer.class);

    private final EngineOptions options;
    private volatile String routeToken;
    private final NodeMetrics metrics;
    private final ConcurrentHashMap<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final EngineTraffic traffic = new EngineTraffic();
    /** Sessions per client address that have not joined a namespace yet (only with a per-address cap). */
    private final ConcurrentHashMap<String, Integer> handshaking = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;
    private volatile BooleanSupplier overShare = () -> false;
    private volatile Consumer<EngineSession> connectionHandler = session -> { };
    private volatile AllowRequest allowRequest;
    private volatile Consumer<ConnectionError> connectionErrorHandler;
    private final List<EngineMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<HttpHeaders, EngineRequest>> initialHeadersListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<HttpHeaders, EngineRequest>> headersListeners = new CopyOnWriteArrayList<>();

    public EngineServer(EngineOptions options, NodeMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
        metrics.sessionsOpen(sessions::size);
        metrics.draining(() -> draining ? 1 : 0);
    }

    public EngineOptions options() {
        return options;
    }

    public String routeToken() {
        return routeToken;
    }

    /**
     * Sets the route token every session id starts with; sessions are admitted only from
     * then on (the token needs the bound port, known only after the server socket is bound).
     */
    public void advertise(String routeToken) {
        this.routeToken = routeToken;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    /** Called on the session's loop for every new session, before its open packet is sent. */
    public void onConnection(Consumer<EngineSession> handler) {
        this.connectionHandler = handler;
    }

    /**
     * Lets the application decide which handshakes may open a session (engine.io's
     * {@code allowRequest}); null admits every request that passes the protocol checks.
     */
    public void allowRequest(AllowRequest check) {
        this.allowRequest = check;
    }

    AllowRequest allowRequest() {
        return allowRequest;
    }

    /**
     * Called for every request the engine turns away (engine.io's {@code connection_error}
     * event), on the connection's event loop: never block in it.
     * <pre>{@code
     * engine.onConnectionError(e -> log.info("{} {}: {} {}", e.request().method(), e.request().url(), e.message(), e.context()));
     * }</pre>
     */
    public void onConnectionError(Consumer<ConnectionError> handler) {
        this.connectionErrorHandler = handler;
    }

    /** Adds an engine-level HTTP middleware; see {@link EngineMiddleware}. */
    public void use(EngineMiddleware middleware) {
        middlewares.add(middleware);
    }

    List<EngineMiddleware> middlewares() {
        return middlewares;
    }

    /**
     * engine.io's {@code initial_headers} event: {@code listener(headers, request)} may add headers to
     * the response that opens a session (the first polling response, or the websocket handshake's),
     * on the connection's event loop. The session cookie, if any, is already among them.
     */
    public void onInitialHeaders(BiConsumer<HttpHeaders, EngineRequest> listener) {
        initialHeadersListeners.add(listener);
    }

    /**
     * engine.io's {@code headers} event: as {@link #onInitialHeaders}, for every polling response
     * (GET and POST) and every websocket handshake response, after the initial-headers listeners.
     */
    public void onHeaders(BiConsumer<HttpHeaders, EngineRequest> listener) {
        headersListeners.add(listener);
    }

    /** Lets the listeners add to a response's headers; the request is described only when someone listens. */
    void addResponseHeaders(HttpHeaders headers, boolean initial, Supplier<EngineRequest> request) {
        if (headersListeners.isEmpty() && (!initial || initialHeadersListeners.isEmpty())) {
            return;
        }
        EngineRequest described = request.get();
        if (initial) {
            initialHeadersListeners.forEach(listener -> listener.accept(headers, described));
        }
        headersListeners.forEach(listener -> listener.accept(headers, described));
    }

    /** Tells the application about a refused request; the event is built only when someone listens. */
    void connectionError(Supplier<ConnectionError> event) {
        Consumer<ConnectionError> handler = connectionErrorHandler;
        if (handler != null) {
            try {
                handler.accept(event.get());
            } catch (RuntimeException e) {
                log.warn("connection_error handler failed", e);
            }
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    /** Open sessions on HTTP long-polling now (not upgraded, or never upgrading). */
    public int pollingSessions() {
        int polling = 0;
        for (EngineSession session : sessions.values()) {
            if ("polling".equals(session.transportName())) {
                polling++;
            }
        }
        return polling;
    }

    /** What the sessions did since the node started: opened, closed by reason, packets and bytes. */
    public EngineTraffic traffic() {
        return traffic;
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Refuses new sessions (503, so a load balancer tries another node) while {@code check} says this
     * node holds more than its share of the fleet; open sessions are not touched.
     */
    public void refuseWhileOverShare(BooleanSupplier check) {
        this.overShare = check;
    }

    /** True while {@code maxConnections} sessions are open: a handshake now would get 503. */
    /** Bound but not yet taking sessions: the node has not learnt its route token (Redis and the application still starting). */
    public boolean isStarting() {
        return routeToken == null;
    }

    public boolean isAtCapacity() {
        return sessions.size() >= options.maxConnections();
    }

    /** Why a new session would be refused now, if it would. */
    Optional<EngineError> refusal() {
        if (draining) {
            return Optional.of(EngineError.DRAINING);
        }
        if (routeToken == null) {
            return Optional.of(EngineError.STARTING);
        }

        if (sessions.size() >= options.maxConnections()) {
            return Optional.of(EngineError.CAPACITY);
        }
        if (overShare.getAsBoolean()) {
            return Optional.of(EngineError.REBALANCING);
        }
        return Optional.empty();
    }

    Optional<EngineSession> find(String sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    /** The address the cap on handshakes counts by: the peer's IP, or the trusted proxy's word for it. */
    String clientAddress(Channel channel, HttpRequest request) {
        return ClientAddress.of(channel.remoteAddress(), request.headers(), options.trustProxyHeaders());
    }

    /**
     * Counts one more session from {@code address} that has yet to join a namespace; false (and
     * nothing counted) when the address already holds {@code maxHandshakesPerAddress} of them.
     */
    boolean reserveHandshake(String address) {
        int cap = options.maxHandshakesPerAddress();
        if (cap == 0) {
            return true;
        }
        boolean[] admitted = {false};
        handshaking.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < cap;
            return admitted[0] ? now + 1 : now;
        });
        return admitted[0];
    }

    /** The session joined a namespace or closed: it no longer counts against its address. */
    void releaseHandshake(String address) {
        if (options.maxHandshakesPerAddress() > 0) {
            handshaking.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Addresses holding sessions that have not joined a namespace yet (for tests and metrics). */
    public int handshakingAddresses() {
        return handshaking.size();
    }

    /** A new session for this handshake request, keeping what engine middleware attached to it. */
    EngineSession create(Channel channel, HttpRequest request, QueryStringDecoder query, String clientAddress,
                         Map<String, Object> attributes) {
        String sid = SessionIds.engineSessionId(routeToken);
        EngineRequest kept = EngineRequest.of(channel, request, query, attributes).kept(keptHeaders(request.headers()));
        EngineSession session = new EngineSession(sid, channel.eventLoop(), this, channel.remoteAddress(),
                clientAddress, kept);
        sessions.put(sid, session);
        metrics.sessionOpened();
        traffic.opened();
        connectionHandler.accept(session);
        return session;
    }

    /**
     * Only the handshake headers an application may ask for, so a flood of large requests holds
     * nothing else; read-only name/value pairs in one array, as each open session keeps them.
     */
    private HttpHeaders keptHeaders(HttpHeaders request) {
        List<CharSequence> pairs = new ArrayList<>();
        for (String name : options.handshakeHeaders()) {
            for (String value : request.getAll(name)) {
                pairs.add(name);
                pairs.add(value);
            }
        }
        return pairs.isEmpty() ? EmptyHttpHeaders.INSTANCE : new ReadOnlyHttpHeaders(false, pairs.toArray(CharSequence[]::new));
    }

    void remove(EngineSession session) {
        sessions.remove(session.id(), session);
        if (draining && sessions.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * Stops admitting sessions and closes the open ones' transports spread over {@code period},
     * each at a random moment of its own slot (see {@link Pacing}), so their clients reconnect
     * (elsewhere) a few at a time rather than all at once or in lock-step. The transport just
     * ends, with no Socket.IO DISCONNECT, so the clients reconnect by themselves. Completes when
     * the last session is gone.
     */
    public CompletableFuture<Void> drain(Duration period) {
        return drain(period, () -> CompletableFuture.completedFuture(null), Duration.ZERO);
    }

    /**
     * Like {@link #drain(Duration)}, with a step between refusing new sessions and closing the open
     * ones: {@code beforeClosing} (the sessions written for recovery), waited for up to {@code wait}
     * — a drain must go on when the step cannot finish (Redis away).
     */
    public CompletableFuture<Void> drain(Duration period, Supplier<CompletableFuture<?>> beforeClosing, Duration wait) {
        draining = true;
        CompletableFuture<?> prepared;
        try {
            prepared = beforeClosing.get();
        } catch (RuntimeException e) {
            prepared = CompletableFuture.failedFuture(e);
        }
        long started = System.nanoTime();
        prepared.orTimeout(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS).whenComplete((done, error) -> {
            if (error != null) {
                log.warn("closing sessions without their last state written for recovery: {}", error.toString());
            }
            List<EngineSession> open = new ArrayList<>(sessions.values());
            Collections.shuffle(open);
            log.info("draining {} sessions over {} s (sessions written in {} ms)", open.size(), period.toSeconds(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            if (open.isEmpty()) {
                drained.complete(null);
            }
            closePaced(open, period);
        });
        return drained;
    }

    /**
     * Closes up to {@code count} randomly chosen open sessions' transports, paced over
     * {@code period} like a drain, so their clients reconnect through the load balancer (to a node
     * with room); returns how many it scheduled. Does nothing while draining.
     */
    public int shed(int count, Duration period) {
        if (draining || count <= 0) {
            return 0;
        }
        // Not one already chosen whose close its loop has not run yet (a loaded machine): it would count twice.
        List<EngineSession> open = new ArrayList<>(sessions.values());
        open.removeIf(EngineSession::isShedding);
        Collections.shuffle(open);
        List<EngineSession> chosen = open.subList(0, Math.min(count, open.size()));
        chosen.forEach(EngineSession::markShedding);
        closePaced(chosen, period);
        chosen.forEach(s -> metrics.sessionRebalanced());
        return chosen.size();
    }

    private static void closePaced(List<EngineSession> sessions, Duration period) {
        long[] delays = Pacing.delays(sessions.size(), period.toMillis(), ThreadLocalRandom.current());
        for (int i = 0; i < sessions.size(); i++) {
            EngineSession session = sessions.get(i);
            session.loop().schedule(() -> session.close(DisconnectReason.SERVER_SHUTTING_DOWN, false), delays[i],
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Closes every session now, telling clients (used on a hard stop). */
    public void closeAll() {
        draining = true;
        sessions.values().forEach(s -> s.close(DisconnectReason.SERVER_SHUTTING_DOWN, true));
    }
}
