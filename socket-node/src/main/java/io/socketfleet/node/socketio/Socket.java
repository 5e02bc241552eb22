package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.util.concurrent.ScheduledFuture;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;
import io.socketfleet.node.socketio.parser.SocketIoPacket;
import io.socketfleet.node.socketio.parser.SocketIoPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One client's connection to one namespace. Handlers run on the connection's event loop;
 * emitting is safe from any thread.
 */
public final class Socket {

    private static final Logger log = LoggerFactory.getLogger(Socket.class);

    private final String id;
    private final Namespace namespace;
    private final Client client;
    private final Handshake handshake;
    private final Map<String, List<EventHandler>> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<DisconnectReason>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    // Confined to the event loop:
    private final Map<Long, PendingAck> pendingAcks = new HashMap<>();
    private long nextAckId;
    private volatile boolean connected = true;

    private record PendingAck(CompletableFuture<ArrayNode> result, ScheduledFuture<?> deadline) {
    }

    Socket(String id, Namespace namespace, Client client, Handshake handshake) {
        this.id = id;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
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

    /** Free-form attributes the application keeps on the socket. */
    public Map<String, Object> data() {
        return data;
    }

    public boolean connected() {
        return connected;
    }

    /** The Engine.IO transport in use now: "polling" or "websocket". */
    public String transport() {
        return client.session().transportName();
    }

    public Socket on(String event, EventHandler handler) {
        handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    /** Called once with the reason (transport close, ping timeout, client namespace disconnect, …). */
    public Socket onDisconnect(Consumer<DisconnectReason> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    public void emit(String event, Object... args) {
        checkEventName(event);
        send(new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), null, Json.event(event, args)));
    }

    /**
     * Emits and waits for the client's acknowledgement; completes exceptionally with a
     * {@link TimeoutException} when none comes within {@code timeout}, or when the socket
     * disconnects first.
     */
    public CompletableFuture<ArrayNode> emitWithAck(Duration timeout, String event, Object... args) {
        checkEventName(event);
        return emitWithAck(Json.event(event, args), timeout);
    }

    /** Emits an event's data array {@code [event, args…]} asking for an ack (a broadcast with acks, per target). */
    CompletableFuture<ArrayNode> emitWithAck(ArrayNode payload, Duration timeout) {
        String event = payload.get(0).asText();
        CompletableFuture<ArrayNode> result = new CompletableFuture<>();
        client.session().onLoop(() -> {
            if (!connected) {
                result.completeExceptionally(new IllegalStateException("socket disconnected"));
                return;
            }
            long ackId = nextAckId++;
            ScheduledFuture<?> deadline = client.session().loop().schedule(() -> {
                if (pendingAcks.remove(ackId) != null) {
                    result.completeExceptionally(new TimeoutException("no ack for '" + event + "' within " + timeout));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            pendingAcks.put(ackId, new PendingAck(result, deadline));
            send(new SocketIoPacket(SocketIoPacketType.EVENT, namespace.name(), ackId, payload));
        });
        return result;
    }

    public void join(String room) {
        namespace.adapter().join(id, room);
    }

    public void leave(String room) {
        namespace.adapter().leave(id, room);
    }

    public Set<String> rooms() {
        return namespace.adapter().rooms(id);
    }

    /** Emits to a room, leaving out this socket. */
    public BroadcastOperator to(String room) {
        return broadcast().to(room);
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
        client.send(packet);
    }

    void deliver(List<EnginePacket> encoded) {
        if (connected) {
            client.session().send(encoded);
        }
    }

    void receive(SocketIoPacket packet) {
        switch (packet.type()) {
            case EVENT -> dispatch(packet);
            case ACK -> {
                PendingAck pending = pendingAcks.remove(packet.id());
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
        String event = packet.eventName();
        List<JsonNode> args = new ArrayList<>(packet.data().size() - 1);
        for (int i = 1; i < packet.data().size(); i++) {
            args.add(packet.data().get(i));
        }
        Ack ack = packet.id() == null ? Ack.NONE : new OneShotAck(packet.id());
        for (EventHandler handler : handlers.getOrDefault(event, List.of())) {
            try {
                handler.handle(args, ack);
            } catch (Exception e) {
                log.warn("handler for '{}' on {} failed", event, namespace.name(), e);
            }
        }
    }

    /** The socket is gone: leave every room, fail pending acks, tell the application. */
    void closed(DisconnectReason reason) {
        if (!connected) {
            return;
        }
        connected = false;
        namespace.remove(this);
        pendingAcks.values().forEach(p -> {
            p.deadline().cancel(false);
            p.result().completeExceptionally(new IllegalStateException("socket disconnected: " + reason));
        });
        pendingAcks.clear();
        for (Consumer<DisconnectReason> handler : disconnectHandlers) {
            try {
                handler.accept(reason);
            } catch (RuntimeException e) {
                log.warn("disconnect handler on {} failed", namespace.name(), e);
            }
        }
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
