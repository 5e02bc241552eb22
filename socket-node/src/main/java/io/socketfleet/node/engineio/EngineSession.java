package io.socketfleet.node.engineio;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO session: its current transport, the heartbeat, the bounded outbox and the
 * polling→websocket upgrade. All state is confined to one event loop; public methods may
 * be called from any thread and hop onto it.
 */
public final class EngineSession {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);
    private static final SessionListener NO_LISTENER = new SessionListener() {
        @Override
        public void onMessage(EnginePacket packet) {
        }

        @Override
        public void onClose(DisconnectReason reason) {
        }
    };

    private final String id;
    private final EventLoop loop;
    private final EngineServer server;
    private final EngineOptions options;
    private final SocketAddress remoteAddress;
    private final String clientAddress;
    /** Counted against its address's handshake cap until it joins a namespace or closes. */
    private boolean handshaking = true;
    private final EngineRequest request;

    private Transport transport;
    private Transport probing;
    private boolean upgrading;
    private boolean upgraded;
    private boolean closed;
    /** Chosen to be shed: its close is on its loop's queue, so it is not chosen again meanwhile. */
    private volatile boolean shedding;
    /** Closing with the outbox still to deliver (a DISCONNECT, then the close packet) before the transport ends. */
    private boolean closing;
    private DisconnectReason closeReason;
    /** Closed for never joining a namespace: nothing is kept to tell a later poll, so a handshake flood cannot linger. */
    private boolean forgetAtOnce;
    /** Whether a packet already refreshed the pong deadline during this ping (engine.io 6.6 does that once). */
    private boolean pongDeadlineRefreshed;
    private SessionListener listener = NO_LISTENER;
    private final ArrayDeque<EnginePacket> outbox = new ArrayDeque<>();
    private long outboxBytes;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> upgradeDeadline;
    private ScheduledFuture<?> closeDeadline;

    EngineSession(String id, EventLoop loop, EngineServer server, SocketAddress remoteAddress, String clientAddress,
                  EngineRequest request) {
        this.id = id;
        this.loop = loop;
        this.server = server;
        this.options = server.options();
        this.remoteAddress = remoteAddress;
        this.clientAddress = clientAddress;
        this.request = request;
    }

    public String id() {
        return id;
    }

    EngineOptions options() {
        return options;
    }

    public EventLoop loop() {
        return loop;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * The client's IP as text ("127.0.0.1", "::1"): the peer's, or with trusted proxy headers the
     * address the proxy reports.
     */
    public String clientAddress() {
        return clientAddress;
    }

    /** The headers of the handshake request that the options keep (see {@link EngineOptions#handshakeHeaders()}). */
    public HttpHeaders headers() {
        return request.headers();
    }

    /** Query parameters of the handshake request. */
    public Map<String, List<String>> query() {
        return request.query();
    }

    /** The HTTP request that opened this session. */
    public EngineRequest request() {
        return request;
    }

    /** The name of the current transport: "polling" or "websocket". */
    public String transportName() {
        return transport == null ? "none" : transport.name();
    }

    public void setListener(SessionListener listener) {
        this.listener = listener;
    }

    /** Runs the task on this session's event loop (now, if already there). */
    public void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ---- sending ---------------------------------------------------------------------

    public void send(EnginePacket packet) {
        send(List.of(packet));
    }

    public void send(List<EnginePacket> packets) {
        if (loop.inEventLoop()) {
            enqueue(packets);  // the usual case (a broadcast's per-loop task, an ack): no task object
        } else {
            loop.execute(() -> enqueue(packets));
        }
    }

    /**
     * Sends only if the transport can take the packets right now, else drops them (socket.io's
     * {@code volatile}): a poll is held, or the websocket is below its high-water mark.
     */
    public void sendVolatile(List<EnginePacket> packets) {
        onLoop(() -> {
            if (transport != null && transport.canSend() && outbox.isEmpty()) {
                enqueue(packets);
            }
        });
    }

    private void enqueue(List<EnginePacket> packets) {
        if (closed || closing) {
            return;
        }
        long bytes = 0;
        for (EnginePacket packet : packets) {
            bytes += packet.encodedSize();
        }
        long unsent = transport == null ? 0 : transport.unsentBytes();
        if (outbox.isEmpty() && transport != null && transport.canSend() && bytes + unsent <= options.maxBufferedBytes()) {
            // Nothing waiting and the transport takes it now (the usual case): straight through, no queueing.
            server.metrics().packetsOut(packets.size());
            server.traffic().out(packets.size(), bytes);
            transport.send(packets);
            return;
        }
        outbox.addAll(packets);
        outboxBytes += bytes;
        if (outboxBytes + unsent > options.maxBufferedBytes()) {
            // A client that cannot keep up is dropped rather than allowed to grow the heap; what its
            // connection still holds (pongs to its own pings included) counts against the same budget.
            server.metrics().slowClientDropped();
            log.info("closing session {}: send buffer over {} bytes (slow client)", id, options.maxBufferedBytes());
            close(DisconnectReason.FORCED_CLOSE, false);
            return;
        }
        flush();
    }

    /** Hands queued packets to the transport if it can take them. */
    void flush() {
        if (closed || outbox.isEmpty() || transport == null || !transport.canSend()) {
            return;
        }
        List<EnginePacket> batch = new ArrayList<>(outbox);
        outbox.clear();
        server.traffic().out(batch.size(), outboxBytes);
        outboxBytes = 0;
        server.metrics().packetsOut(batch.size());
        transport.send(batch);
        if (!closing || !(transport instanceof PollingTransport)) {
            return;
        }
        if (batch.get(batch.size() - 1) == EnginePacket.CLOSE) {
            finishClose(false);
        } else {
            // The close packet goes in a poll of its own, as engine.io does: socket.io-client hands decoded
            // packets on a tick later, so a close in the same payload would overtake the DISCONNECT before it.
            outbox.add(EnginePacket.CLOSE);
        }
    }

    // ---- lifecycle -----------------------------------------------------------------

    /** Attaches the first transport and sends the open packet. */
    void open(Transport first) {
        this.transport = first;
        List<String> upgrades = options.transport().upgradesFrom(first.name());
        String open = "{\"sid\":\"" + id + "\",\"upgrades\":" + (upgrades.isEmpty() ? "[]" : "[\"websocket\"]")
                + ",\"pingInterval\":" + options.pingInterval().toMillis()
                + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
                + ",\"maxPayload\":" + options.maxPayload() + "}";
        enqueue(List.of(new EnginePacket(EnginePacketType.OPEN, open, null)));
        schedulePing();
    }

    private void schedulePing() {
        pingTimer = loop.schedule(this::ping, options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ping() {
        pingTimer = null; // fired: an idle session holds one live timer, not the spent ones too
        if (closed || closing) {
            return;
        }
        enqueue(List.of(EnginePacket.PING));
        pongDeadlineRefreshed = false;
        schedulePongDeadline();
    }

    private void schedulePongDeadline() {
        cancel(pongDeadline);
        pongDeadline = loop.schedule(() -> close(DisconnectReason.PING_TIMEOUT, false),
                options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Any packet but a pong while a pong is awaited proves the client alive, so the deadline
     * restarts, once per ping (engine.io 6.6): a pong stuck behind a large upload still counts.
     */
    private void refreshPongDeadline(EnginePacket packet) {
        if (pongDeadline != null && !pongDeadline.isDone() && !pongDeadlineRefreshed
                && packet.type() != EnginePacketType.PONG) {
            pongDeadlineRefreshed = true;
            schedulePongDeadline();
        }
    }

    /** A packet arrived on {@code from}. Runs on the session loop. */
    void receive(Transport from, EnginePacket packet) {
        if (closed) {
            return;
        }
        if (from == probing) {
            receiveProbe(packet);
            return;
        }
        if (closing || from != transport) {
            return;
        }
        server.metrics().packetsIn(1);
        server.traffic().in(packet.encodedSize());
        refreshPongDeadline(packet);
        switch (packet.type()) {
            case PONG -> {
                cancel(pongDeadline);
                pongDeadline = null;
                cancel(pingTimer);
                schedulePing();
            }
            case MESSAGE -> listener.onMessage(packet);
            case CLOSE -> {
                // As engine.io: a held long-poll is answered with a noop, not a close the client did not ask for.
                if (transport instanceof PollingTransport polling) {
                    polling.clientClosed();
                }
                close(DisconnectReason.TRANSPORT_CLOSE, false);
            }
            case NOOP -> { }
            default -> protocolError(DisconnectReason.TRANSPORT_ERROR, "unexpected " + packet.type() + " packet");
        }
    }

    /**
     * The client broke the protocol: log the detail, count it and close just this session
     * with {@code reason} ({@link DisconnectReason#PARSE_ERROR} only when a packet could not be decoded).
     */
    public void protocolError(DisconnectReason reason, String detail) {
        onLoop(() -> {
            if (!closed && !closing) {
                server.metrics().protocolError();
                log.info("closing session {} from {}: {}", id, remoteAddress, detail);
                close(reason, false);
            }
        });
    }

    /**
     * The client never joined a namespace in time: closes the session ("forced server close",
     * as socket.io) and forgets it at once, keeping nothing for a later poll.
     */
    public void expireUnjoined() {
        onLoop(() -> {
            if (!closed && !closing) {
                log.debug("closing session {} from {}: no namespace joined within the connect timeout", id, remoteAddress);
                forgetAtOnce = true;
                close(DisconnectReason.FORCED_SERVER_CLOSE, false);
            }
        });
    }

    /** The transport went away underneath us (connection closed, error). */
    void transportClosed(Transport which, DisconnectReason reason) {
        onLoop(() -> {
            if (which == probing) {
                abandonUpgrade();
            } else if (which == transport) {
                close(reason, false);
            }
        });
    }

    /**
     * Closes the session. With {@code announce} the client first gets everything queued so far
     * and only then the end: a websocket its close frame, a polling client a close packet at the
     * poll after (or is let go after the ping timeout), so a DISCONNECT sent just before reaches
     * it and it stays away. Without, the
     * queue is dropped and the transport simply ends, which socket.io-client treats as
     * "transport close" and reconnects from (used for draining).
     */
    public void close(DisconnectReason reason, boolean announce) {
        onLoop(() -> {
            if (closed) {
                return;
            }
            if (closing) {
                if (!announce) {
                    finishClose(true);
                }
                return;
            }
            closeReason = reason;
            if (announce && transport != null) {
                closeAfterFlush();
            } else {
                finishClose(true);
            }
        });
    }

    private void closeAfterFlush() {
        closing = true;
        cancel(pingTimer);
        cancel(pongDeadline);
        // A client that stops polling (or never finishes its upgrade) is let go after a ping timeout.
        closeDeadline = loop.schedule(() -> finishClose(true), options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        continueClosing();
    }

    /** Delivers what is queued, then ends the transport; called again when an upgrade in flight settles. */
    private void continueClosing() {
        if (probing != null) {
            // As engine.io: an upgrade in flight completes (or fails) first, and the rest goes on whichever transport wins.
            return;
        }
        if (transport instanceof PollingTransport) {
            // What is queued goes with the client's next poll, the close packet with the one after (see flush).
            if (outbox.isEmpty()) {
                outbox.add(EnginePacket.CLOSE);
            }
            flush();
            return;
        }
        // A websocket takes the last packets even past its high-water mark (bounded by maxBufferedBytes), then
        // its close frame. No close packet, as in engine.io: it would add nothing to the close frame, and arriving
        // in the same read as a DISCONNECT it would overtake it in socket.io-client.
        if (!outbox.isEmpty()) {
            List<EnginePacket> batch = new ArrayList<>(outbox);
            outbox.clear();
            server.traffic().out(batch.size(), outboxBytes);
            outboxBytes = 0;
            server.metrics().packetsOut(batch.size());
            transport.send(batch);
        }
        finishClose(false);
    }

    /** Ends the session for good; {@code dropQueued} discards what the client has not been sent. */
    private void finishClose(boolean dropQueued) {
        if (closed) {
            return;
        }
        closed = true;
        closing = false;
        endHandshake();
        cancel(pingTimer);
        cancel(pongDeadline);
        cancel(upgradeDeadline);
        cancel(closeDeadline);
        if (dropQueued) {
            outbox.clear();
            outboxBytes = 0;
        }
        if (probing != null) {
            probing.close();
            probing = null;
        }
        if (transport != null) {
            transport.close();
        }
        if (!forgetAtOnce && transport instanceof PollingTransport polling && polling.owesClose()) {
            // Known a little longer, so the client's next poll hears "closed" (and reconnects) rather than
            // "Session ID unknown"; a client that never polls again is forgotten after the ping timeout.
            loop.schedule(() -> server.remove(this), options.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            server.remove(this);
        }
        server.traffic().closed(closeReason);
        listener.onClose(closeReason);
    }

    /** The closed session's close packet reached its polling client: forget the session now. */
    void closeDelivered() {
        server.remove(this);
    }

    /** The client joined a namespace: it no longer counts as a handshake in progress for its address. */
    public void established() {
        onLoop(this::endHandshake);
    }

    private void endHandshake() {
        if (handshaking) {
            handshaking = false;
            server.releaseHandshake(clientAddress);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    boolean isShedding() {
        return shedding;
    }

    void markShedding() {
        shedding = true;
    }

    // ---- polling → websocket upgrade ----------------------------------------------------

    boolean canStartUpgrade() {
        return !closed && !closing && probing == null && !upgraded && transport instanceof PollingTransport;
    }

    /** A websocket arrived carrying this session's sid; it must send "2probe" within the upgrade timeout. */
    void beginUpgrade(Transport websocket) {
        probing = websocket;
        upgradeDeadline = loop.schedule(() -> {
            log.debug("session {}: upgrade not completed in time, abandoning it", id);
            abandonUpgrade();
        }, options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void receiveProbe(EnginePacket packet) {
        if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
            probing.send(List.of(new EnginePacket(EnginePacketType.PONG, "probe", null)));
            upgrading = true;
            // From "3probe" on the client is committed: it pauses polling, and engine.io-client never polls
            // again if this websocket then closes, so an upgrade dropped now would strand it until its ping
            // timeout. engine.io does drop it at the upgrade timeout; under load (a slow POST still to
            // finish before the client may send "5") that stranded clients. The session's heartbeat still
            // bounds a client that never sends "5": its pings wait, unanswered, until the pong deadline.
            cancel(upgradeDeadline);
            upgradeDeadline = null;
            // End the current long-poll so the client can pause polling and send "5".
            if (transport instanceof PollingTransport polling) {
                polling.releaseWithNoop();
            }
        } else if (packet.type() == EnginePacketType.UPGRADE && upgrading) {
            cancel(upgradeDeadline);
            upgradeDeadline = null;
            Transport polling = transport;
            transport = probing;
            probing = null;
            upgrading = false;
            upgraded = true;
            ((PollingTransport) polling).retire();
            if (closing) {
                continueClosing();
            } else {
                flush();
                listener.onUpgrade(transport.name());
            }
        } else {
            log.info("session {}: unexpected {} during upgrade, dropping the websocket", id, packet);
            abandonUpgrade();
        }
    }

    private void abandonUpgrade() {
        cancel(upgradeDeadline);
        upgrading = false;
        if (probing != null) {
            probing.close();
            probing = null;
            if (closing) {
                continueClosing();
            }
        }
    }

    /** True between "3probe" and "5": long-polls are answered with noop at once. */
    boolean isUpgrading() {
        return upgrading;
    }

    Transport transport() {
        return transport;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
