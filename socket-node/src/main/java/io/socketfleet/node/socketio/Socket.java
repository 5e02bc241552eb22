package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.adapter.Offsets;
import io.socketfleet.node.adapter.PacketFlags;
import io.socketfleet.node.adapter.Session;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.engineio.EngineRequest;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;
import io.socketfleet.node.socketio.parser.SocketIoPacket;
import io.socketfleet.node.socketio.parser.SocketIoPacketType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One client's connection to one namespace. Handlers run on the connection's event loop;
 * emitting is safe from any thread.
 */
public final class Socket {

    private final String id;
    /** The private id proving a reconnecting client owns this session; null without recovery. */
    private final String pid;
    private final boolean recovered;
    private final Namespace namespace;
    private final Client client;
    private final Handshake handshake;
    private final SocketListeners listeners;
    /** Made at the first {@link #data()} or {@link #onDataChange}: most sockets never carry any. */
    private volatile SocketData data;
    // Confined to the event loop:
    /** Made at the first emit with an ack. */
    private Map<Long, PendingAck> pendingAcks;
    private long nextAckId;
    /** Offset of the last stored broadcast written to the client: it never gets one at or before it again. */
    private String lastOffset;
    /** While a recovered socket waits for what it missed, live broadcasts wait here. */
    private List<BroadcastPacket> heldWhileRecovering;
    private volatile boolean connected = true;

    private record PendingAck(CompletableFuture<ArrayNode> result, ScheduledFuture<?> deadline) {
    }

    Socket(String id, String pid, Namespace namespace, Client client, Handshake handshake) {
        this.id = id;
        this.pid = pid;
        this.recovered = false;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
        this.listeners = new SocketListeners(namespace.name());
    }

    /** A socket brought back from {@code session}; the client had everything up to {@code offset}. */
    Socket(Session session, String offset, Namespace namespace, Client client, Handshake handshake) {
        this.id = session.sid();
        this.pid = session.pid();
        this.recovered = true;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
        this.listeners = new SocketListeners(namespace.name());
        this.lastOffset = offset;
        this.heldWhileRecovering = new ArrayList<>();
        if (session.data().isObject() && !session.data().isEmpty()) {
            data().putAll(Json.MAPPER.convertValue(session.data(), Map.class));
        }
    }

    /** The 20-character socket id, also the name of a room holding only this socket. */
    public String id() {
        return id;
    }

    public Namespace namespace() {
        return namespace;
    }

    public Handshake handshake() {
        return handshake;
    }

    /**
     * Free-form attributes the application keeps on the socket. A change made through the map's own
     * methods ({@code put}, {@code remove}, {@code compute}…) is reported to {@link #onDataChange} handlers.
     */
    public Map<String, Object> data() {
        return dataMap();
    }

    private SocketData dataMap() {
        SocketData kept = data;
        if (kept == null) {
            synchronized (this) {
                kept = data;
                if (kept == null) {
                    kept = new SocketData();
                    data = kept;
                }
            }
        }
        return kept;
    }

    /**
     * Calls {@code handler} with the key after each change of {@link #data()} through the map's own
     * methods, on the thread that made it (a value object changed in place is not seen: put it again).
     */
    public Socket onDataChange(Consumer<String> handler) {
        dataMap().onChange(handler);
        return this;
    }

    public boolean connected() {
        return connected;
    }

    /**
     * Whether this socket is one that lost its connection and came back (connection state
     * recovery): same id, rooms and data as before, and the broadcasts it missed delivered.
     */
    public boolean recovered() {
        return recovered;
    }

    /** The Engine.IO transport in use now: "polling" or "websocket". */
    public String transport() {
        return client.session().transportName();
    }

    /**
     * The HTTP request that opened the connection (socket.io's {@code socket.request}): method, URL,
     * the headers the node keeps (see {@code --handshake-headers}) and query.
     */
    public EngineRequest request() {
        return client.session().request();
    }

    /** The Engine.IO session this socket runs on (socket.io's {@code socket.client.id}; one client may have a socket per namespace). */
    public String clientId() {
        return client.session().id();
    }

    public Socket on(String event, EventHandler handler) {
        listeners.on(event, handler, false);
        return this;
    }

    /** Like {@link #on}, for the next such event only. */
    public Socket once(String event, EventHandler handler) {
        listeners.on(event, handler, true);
        return this;
    }

    /** Removes one registration of this handler for the event (the latest, as Node's EventEmitter), once-handlers included. */
    public Socket off(String event, EventHandler handler) {
        listeners.off(event, handler);
        return this;
    }

    /** Removes every handler of the event (socket.io's {@code removeAllListeners(event)}). */
    public Socket off(String event) {
        listeners.offAll(event);
        return this;
    }

    /** Adds a handler that sees every incoming event first, before packet middleware. */
    public Socket onAny(AnyEventHandler handler) {
        listeners.onAny(handler);
        return this;
    }

    /** Adds a catch-all handler that runs before those already added (socket.io's {@code prependAny}). */
    public Socket prependAny(AnyEventHandler handler) {
        listeners.prependAny(handler);
        return this;
    }

    /** The catch-all handlers in the order they run, a snapshot (socket.io's {@code listenersAny()}). */
    public List<AnyEventHandler> listenersAny() {
        return listeners.anyHandlers();
    }

    /** Removes this catch-all handler. */
    public Socket offAny(AnyEventHandler handler) {
        listeners.offAny(handler);
        return this;
    }

    /** Removes every catch-all handler. */
    public Socket offAny() {
        listeners.offAny();
        return this;
    }

    /** Adds a handler that sees every event sent to this socket's client, broadcasts included. */
    public Socket onAnyOutgoing(OutgoingEventHandler handler) {
        listeners.onAnyOutgoing(handler);
        return this;
    }

    /** Adds an outgoing catch-all handler that runs before those already added (socket.io's {@code prependAnyOutgoing}). */
    public Socket prependAnyOutgoing(OutgoingEventHandler handler) {
        listeners.prependAnyOutgoing(handler);
        return this;
    }

    /** The outgoing catch-all handlers in the order they run, a snapshot (socket.io's {@code listenersAnyOutgoing()}). */
    public List<OutgoingEventHandler> listenersAnyOutgoing() {
        return listeners.outgoingHandlers();
    }

    public Socket offAnyOutgoing(OutgoingEventHandler handler) {
        listeners.offAnyOutgoing(handler);
        return this;
    }

    public Socket offAnyOutgoing() {
        listeners.offAnyOutgoing();
        return this;
    }

    /** Adds packet middleware; it runs for every incoming event, in the order added. */
    public Socket use(PacketMiddleware middleware) {
        return useAsync(event -> {
            try {
                middleware.handle(event);
                return CompletableFuture.completedFuture(null);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** Adds packet middleware that may complete later. */
    public Socket useAsync(AsyncPacketMiddleware middleware) {
        listeners.use(middleware);
        return this;
    }

    /**
     * Called with what stopped an event in packet middleware, or with the protocol error that is
     * about to close the connection (socket.io's {@code socket.on("error")}).
     */
    public Socket onError(Consumer<Exception> handler) {
        listeners.onError(handler);
        return this;
    }

    /**
     * Called once when the socket is about to leave, before it leaves its rooms, so
     * {@link #rooms()} still lists them (socket.io's {@code disconnecting} event).
     */
    public Socket onDisconnecting(Consumer<DisconnectReason> handler) {
        listeners.onDisconnecting(handler);
        return this;
    }

    /** Called once with the reason (transport close, ping timeout, client namespace disconnect, …). */
    public Socket onDisconnect(Consumer<DisconnectReason> handler) {
        listeners.onDisconnect(handler);
        return this;
    }

    /** Called with the new transport's name when the connection upgrades (engine.io's {@code upgrade}), on its event loop. */
    public Socket onUpgrade(Consumer<String> handler) {
        listeners.onUpgrade(handler);
        return this;
    }

    void upgraded(String transport) {
        listeners.upgraded(transport);
    }

    public void emit(String event, Object... args) {
        emit(PacketFlags.DEFAULT, event, args);
    }

    /** The next emits are dropped if the client's transport cannot take them right now (socket.io's {@code volatile}). */
    public SocketEmitter asVolatile() {
        return new SocketEmitter(this, PacketFlags.DEFAULT.asVolatile());
    }

    /** The next emits may ({@code true}, the default) or may not be compressed by the transport. */
    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(this, PacketFlags.DEFAULT.withCompress(compress));
    }

    void emit(PacketFlags flags, String event, Object... args) {
        checkEventName(event);
        if (pid != null && !flags.volatilePacket()) {
            // As socket.io does with recovery on: through the adapter, so the event is stored with an offset.
            new BroadcastOperator(namespace).compress(flags.compress()).to(id).emit(event, args);
            return;
        }
        ArrayNode data = Json.event(event, args);
        listeners.outgoing(data);
        send(new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), null, data), flags);
    }

    /**
     * Emits and waits for the client's acknowledgement; completes exceptionally with a
     * {@link TimeoutException} when none comes within {@code timeout}, or when the socket
     * disconnects first.
     */
    public CompletableFuture<ArrayNode> emitWithAck(Duration timeout, String event, Object... args) {
        return emitWithAck(PacketFlags.DEFAULT, timeout, event, args);
    }

    CompletableFuture<ArrayNode> emitWithAck(PacketFlags flags, Duration timeout, String event, Object... args) {
        checkEventName(event);
        return emitWithAck(Json.event(event, args), timeout, flags);
    }

    /** Emits an event's data array {@code [event, args…]} asking for an ack (a broadcast with acks, per target). */
    CompletableFuture<ArrayNode> emitWithAck(ArrayNode payload, Duration timeout, PacketFlags flags) {
        String event = payload.get(0).asText();
        CompletableFuture<ArrayNode> result = new CompletableFuture<>();
        listeners.outgoing(payload);
        client.session().onLoop(() -> {
            if (!connected) {
                result.completeExceptionally(new IllegalStateException("socket disconnected"));
                return;
            }
            long ackId = nextAckId++;
            ScheduledFuture<?> deadline = client.session().loop().schedule(() -> {
                if (pendingAcks.remove(ackId) != null) { // the map exists: this ack was put in it
                    result.completeExceptionally(new TimeoutException("no ack for '" + event + "' within " + timeout));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (pendingAcks == null) {
                pendingAcks = new HashMap<>(4);
            }
            pendingAcks.put(ackId, new PendingAck(result, deadline));
            send(new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), ackId, payload), flags);
        });
        return result;
    }

    public void join(String room) {
        namespace.adapter().join(id, room);
        sessionChanged();
    }

    public void leave(String room) {
        namespace.adapter().leave(id, room);
        sessionChanged();
    }

    private void sessionChanged() {
        if (pid != null) {
            namespace.adapter().sessionChanged(pid);
        }
    }

    String pid() {
        return pid;
    }

    /** What recovery keeps of this socket now. */
    Session session() {
        Map<String, Object> kept = data;
        return new Session(id, pid, List.copyOf(rooms()), Json.tree(kept == null ? Map.of() : Map.copyOf(kept)));
    }

    public Set<String> rooms() {
        return namespace.adapter().rooms(id);
    }

    /** Emits to a room, leaving out this socket. */
    public BroadcastOperator to(String room) {
        return broadcast().to(room);
    }

    /** The same as {@link #to}. */
    public BroadcastOperator in(String room) {
        return to(room);
    }

    /** Emits to everyone in the namespace but this socket and those in the room. */
    public BroadcastOperator except(String room) {
        return broadcast().except(room);
    }

    /** Emits to everyone in the namespace but this socket. */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(namespace).except(id);
    }

    /** Leaves this namespace; the client stays disconnected ("io server disconnect"). */
    public void disconnect() {
        disconnect(false);
    }

    /** With {@code closeConnection}, also closes the underlying connection and every namespace on it. */
    public void disconnect(boolean closeConnection) {
        client.session().onLoop(() -> {
            if (!connected) {
                return;
            }
            send(new SocketIoPacket(SocketIoPacketType.DISCONNECT, namespace.name(), null, null));
            closed(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
            client.remove(this);
            if (closeConnection) {
                client.session().close(DisconnectReason.FORCED_SERVER_CLOSE, true);
            }
        });
    }

    // ---- internal, on the event loop ----------------------------------------------------

    void send(SocketIoPacket packet) {
        client.send(packet, PacketFlags.DEFAULT);
    }

    /** The event loop this socket's session runs on. */
    EventLoop loop() {
        return client.session().loop();
    }

    void send(SocketIoPacket packet, PacketFlags flags) {
        client.send(packet, flags);
    }

    /**
     * A broadcast reached this socket (from any thread): tell the outgoing handlers, then write it as
     * the flags say; a stored one (with an offset) at most once and in order.
     */
    void deliver(BroadcastPacket packet, List<EnginePacket> encoded, PacketFlags flags) {
        EventLoop loop = loop();
        if (loop.inEventLoop()) {
            deliverOnLoop(packet, encoded, flags);  // the usual case (the broadcast's per-loop task): no task object
        } else {
            loop.execute(() -> deliverOnLoop(packet, encoded, flags));
        }
    }

    private void deliverOnLoop(BroadcastPacket packet, List<EnginePacket> encoded, PacketFlags flags) {
        if (!connected) {
            return;
        }
        if (heldWhileRecovering != null) {
            heldWhileRecovering.add(packet);
            return;
        }
        write(packet, encoded, flags);
    }

    private void write(BroadcastPacket packet, List<EnginePacket> encoded, PacketFlags flags) {
        if (packet.offset() != null) {
            if (lastOffset != null && Offsets.compare(packet.offset(), lastOffset) <= 0) {
                return;
            }
            lastOffset = packet.offset();
        }
        listeners.outgoing(packet.data());
        client.write(encoded, flags);
    }

    /** Writes what the socket missed, then what came live meanwhile, each only once. On the event loop. */
    void finishRecovery(List<BroadcastPacket> missed) {
        List<BroadcastPacket> held = heldWhileRecovering;
        heldWhileRecovering = null;
        if (held == null || !connected) {
            return;
        }
        missed.forEach(packet -> write(packet, Namespace.encode(packet), PacketFlags.DEFAULT));
        held.forEach(packet -> write(packet, Namespace.encode(packet), PacketFlags.DEFAULT));
    }

    void receive(SocketIoPacket packet) {
        switch (packet.type()) {
            case EVENT -> dispatch(packet);
            case ACK -> {
                PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(packet.id());
                if (pending != null) {
                    pending.deadline().cancel(false);
                    pending.result().complete((ArrayNode) packet.data());
                }
            }
            default -> client.session().protocolError(DisconnectReason.FORCED_CLOSE,
                    "unexpected " + packet.type() + " on " + namespace.name());
        }
    }

    private void dispatch(SocketIoPacket packet) {
        List<JsonNode> args = new ArrayList<>(packet.data().size() - 1);
        for (int i = 1; i < packet.data().size(); i++) {
            args.add(packet.data().get(i));
        }
        Ack ack = packet.id() == null ? Ack.NONE : new OneShotAck(packet.id());
        listeners.dispatch(packet.eventName(), args, ack, client.session()::onLoop, () -> connected);
    }

    /** Hands an error to the application's error handlers (socket.io's "error" event on the socket). */
    void error(Exception error) {
        listeners.error(error);
    }

    /** A recovered socket with this id took over on this node: this one goes, leaving the session alone. */
    void superseded() {
        client.session().onLoop(() -> {
            close(DisconnectReason.FORCED_SERVER_CLOSE, false);
            client.remove(this);
            client.session().close(DisconnectReason.FORCED_SERVER_CLOSE, false);
        });
    }

    /** The socket is gone: tell "disconnecting" (rooms still there), leave every room, fail pending acks, tell "disconnect". */
    void closed(DisconnectReason reason) {
        close(reason, true);
    }

    private void close(DisconnectReason reason, boolean settleSession) {
        if (!connected) {
            return;
        }
        listeners.disconnecting(reason);
        connected = false;
        heldWhileRecovering = null;
        namespace.remove(this, settleSession ? reason : null);
        if (pendingAcks != null) {
            pendingAcks.values().forEach(p -> {
                p.deadline().cancel(false);
                p.result().completeExceptionally(new IllegalStateException("socket disconnected: " + reason));
            });
            pendingAcks = null;
        }
        listeners.disconnected(reason);
    }

    private static void checkEventName(String event) {
        if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
    }

    private final class OneShotAck implements Ack {
        private final long ackId;
        private boolean sent;

        OneShotAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public synchronized void send(Object... args) {
            if (sent) {
                return;
            }
            sent = true;
            Socket.this.send(new SocketIoPacket(SocketIoPacketType.ACK, namespace.name(), ackId, Json.array(args)));
        }

        @Override
        public boolean requested() {
            return true;
        }
    }

    @Override
    public String toString() {
        return "Socket[" + namespace.name() + " " + id + "]";
    }
}
