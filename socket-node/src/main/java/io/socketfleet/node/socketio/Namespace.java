package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.netty.channel.EventLoop;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.adapter.Adapter;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.adapter.LocalSockets;
import io.socketfleet.node.adapter.Offsets;
import io.socketfleet.node.adapter.PacketFlags;
import io.socketfleet.node.adapter.Session;
import io.socketfleet.node.adapter.SocketDetails;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;
import io.socketfleet.node.socketio.parser.PacketEncoder;
import io.socketfleet.node.socketio.parser.SocketIoPacket;
import io.socketfleet.node.socketio.parser.SocketIoPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A namespace ("/" or e.g. "/chat"): its middleware, connection handlers, sockets and adapter.
 * <pre>{@code
 * io.of("/chat").onConnection(socket -> socket.on("hello", (args, ack) -> ack.send("hi")));
 * }</pre>
 */
public final class Namespace {

    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private final String name;
    private final Adapter adapter;
    private final ConnectionStateRecovery recovery;
    private final List<AsyncMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final Map<String, List<EventHandler>> serverSideHandlers = new ConcurrentHashMap<>();
    /** Run when the last socket leaves (a dynamic child with cleanupEmptyChildNamespaces); null otherwise. */
    private volatile Runnable whenEmpty;
    /** Set once such a child is forgotten; a socket its middleware admits later asks the server again. Guarded by this. */
    private boolean retired;

    Namespace(String name, AdapterFactory adapters, ConnectionStateRecovery recovery) {
        this.name = name;
        this.adapter = adapters.create(name, new Hooks());
        // Recovery needs an adapter that keeps sessions (socket.io's Redis pub/sub adapter does not either).
        this.recovery = recovery.enabled() && adapter.recoversSessions() ? recovery : ConnectionStateRecovery.off();
    }

    /** Whether sockets here can come back after losing their connection (see {@link ConnectionStateRecovery}). */
    public boolean recoversSessions() {
        return recovery.enabled();
    }

    /** A stored broadcast as the messages written to a socket. */
    static List<EnginePacket> encode(BroadcastPacket broadcast) {
        return Client.engineMessages(PacketEncoder.encode(
                new SocketIoPacket(SocketIoPacketType.EVENT, broadcast.nsp(), null, broadcast.data())), true);
    }

    public String name() {
        return name;
    }

    public Adapter adapter() {
        return adapter;
    }

    /** Adds a middleware; they run in order for every new socket. */
    public Namespace use(Middleware middleware) {
        asAsync(middleware, this::useAsync);
        return this;
    }

    /** Adds a middleware that may complete later; it runs in order with the others. */
    public Namespace useAsync(AsyncMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /** A synchronous middleware as an async one: a refusal or failure becomes a failed stage. */
    static void asAsync(Middleware middleware, Consumer<AsyncMiddleware> add) {
        add.accept(socket -> {
            try {
                middleware.check(socket);
                return CompletableFuture.completedFuture(null);
            } catch (ConnectionRefusedException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * {@code listener(room, socketId)} when a socket of this node joins a room it was not in (its
     * own included), as socket.io-adapter's {@code join-room}. Runs with the adapter locked: hand
     * anything that may wait to another thread.
     */
    public Namespace onRoomJoined(java.util.function.BiConsumer<String, String> listener) {
        adapter.onJoin(listener);
        return this;
    }

    /** Likewise when a socket of this node leaves a room, or disconnects from it ({@code leave-room}). */
    public Namespace onRoomLeft(java.util.function.BiConsumer<String, String> listener) {
        adapter.onLeave(listener);
        return this;
    }

    public Namespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    /** Emits to every socket of this namespace in the fleet. */
    public void emit(String event, Object... args) {
        new BroadcastOperator(this).emit(event, args);
    }

    public BroadcastOperator to(String room) {
        return new BroadcastOperator(this).to(room);
    }

    /** The same as {@link #to}. */
    public BroadcastOperator in(String room) {
        return to(room);
    }

    /** Emits that are dropped for clients whose transport cannot take them right now. */
    public BroadcastOperator asVolatile() {
        return new BroadcastOperator(this).asVolatile();
    }

    /** Emits the transport may ({@code true}, the default) or may not compress. */
    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(this).compress(compress);
    }

    public BroadcastOperator except(String room) {
        return new BroadcastOperator(this).except(room);
    }

    public BroadcastOperator local() {
        return new BroadcastOperator(this).local();
    }

    /** See {@link BroadcastOperator#timeout}: for emitWithAck to every socket, or fetchSockets. */
    public BroadcastOperator timeout(Duration timeout) {
        return new BroadcastOperator(this).timeout(timeout);
    }

    /** Every socket of this namespace in the fleet; see {@link BroadcastOperator#fetchSockets}. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return new BroadcastOperator(this).fetchSockets();
    }

    /** Every socket of this namespace in the fleet joins these rooms. */
    public void socketsJoin(String... rooms) {
        new BroadcastOperator(this).socketsJoin(rooms);
    }

    /** Every socket of this namespace in the fleet leaves these rooms. */
    public void socketsLeave(String... rooms) {
        new BroadcastOperator(this).socketsLeave(rooms);
    }

    /** Disconnects every socket of this namespace in the fleet; with {@code close}, their connections too. */
    public void disconnectSockets(boolean close) {
        new BroadcastOperator(this).disconnectSockets(close);
    }

    /**
     * Sends an event to this namespace on the other servers of the fleet (not to clients),
     * where {@link #onServerSideEmit} handlers get it. Arguments travel as JSON.
     */
    public void serverSideEmit(String event, Object... args) {
        adapter.serverSideEmit(serverSideData(event, args));
    }

    /**
     * Like {@link #serverSideEmit}, each other server answering once through its handler's
     * ack: completes with the answers once every server that got the event answered, or at
     * {@code timeout} with those that came ({@link Replies#complete()} false).
     */
    public CompletableFuture<Replies<JsonNode>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
        return adapter.serverSideEmitWithAck(serverSideData(event, args), timeout).thenApply(Replies::of);
    }

    /**
     * Handles an event another server sent with {@code serverSideEmit} (Node's
     * {@code io.on(event, …)}); {@code ack.send(value)} answers it when the sender waits for
     * answers. Runs on the thread that receives from the fleet: never block in it.
     */
    public Namespace onServerSideEmit(String event, EventHandler handler) {
        serverSideHandlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    private static ArrayNode serverSideData(String event, Object... args) {
        if (PacketDecoder.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is a reserved event name");
        }
        return Json.event(event, args);
    }

    /** Sockets connected to this namespace on this node. */
    public Collection<Socket> sockets() {
        return List.copyOf(sockets.values());
    }

    public int socketCount() {
        return sockets.size();
    }

    /**
     * A client sent CONNECT for this namespace. Runs on the client's event loop; the middleware may
     * finish later, and the socket joins (or is refused) back on that loop.
     */
    void connect(Client client, JsonNode auth) {
        var session = client.session();
        var request = session.request();
        Handshake handshake = new Handshake(auth == null ? Handshake.NO_AUTH : auth,
                request.headers(), request.query(), session.clientAddress(), Instant.now(), request.url(),
                request.secure(), request.xdomain());
        String pid = handshake.auth().path("pid").isTextual() ? handshake.auth().get("pid").textValue() : null;
        String offset = handshake.auth().path("offset").isTextual() ? handshake.auth().get("offset").textValue() : null;
        if (recovery.enabled() && pid != null && Offsets.valid(offset)) {
            client.connecting(name, true);
            adapter.takeSession(pid, offset).whenCompleteAsync((kept, error) -> {
                client.connecting(name, false);
                if (error != null) {
                    log.warn("could not read session {} on {}: {}", pid, name, error.toString());
                }
                Optional<Session> restored = error == null ? kept : Optional.empty();
                if (session.isClosed()) {
                    restored.ifPresent(adapter::persistSession);  // the client will try again; keep what it had
                } else if (restored.isPresent() && recovery.skipMiddlewares()) {
                    join(client, new Socket(restored.get(), offset, this, client, handshake), restored.get(), offset);
                } else if (restored.isPresent()) {
                    admit(client, new Socket(restored.get(), offset, this, client, handshake), restored.get(), offset);
                } else {
                    admit(client, newSocket(client, handshake), null, null);
                }
            }, session::onLoop);
            return;
        }
        admit(client, newSocket(client, handshake), null, null);
    }

    private Socket newSocket(Client client, Handshake handshake) {
        return new Socket(SocketIds.next(), recovery.enabled() ? SocketIds.next() : null, this, client, handshake);
    }

    /** The middleware, then the socket joins (or is refused) back on the client's loop. */
    private void admit(Client client, Socket socket, Session restored, String offset) {
        var session = client.session();
        if (middlewares.isEmpty()) {
            join(client, socket, restored, offset);
            return;
        }
        Executor loop = session::onLoop;
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (AsyncMiddleware middleware : middlewares) {
            chain = chain.thenComposeAsync(done -> invoke(middleware, socket), loop);
        }
        client.connecting(name, true);
        chain.whenCompleteAsync((done, failure) -> {
            client.connecting(name, false);
            if (session.isClosed()) {
                // As socket.io: the client left while the middleware decided.
                adapter.leaveAll(socket.id());
            } else if (failure == null) {
                join(client, socket, restored, offset);
            } else if (SocketListeners.unwrap(failure) instanceof ConnectionRefusedException refused) {
                refuse(client, socket, refused.getMessage(), refused.data());
            } else {
                log.warn("middleware on {} failed", name, SocketListeners.unwrap(failure));
                refuse(client, socket, "Internal error", null);
            }
        }, loop);
    }

    private static CompletionStage<Void> invoke(AsyncMiddleware middleware, Socket socket) {
        try {
            CompletionStage<Void> result = middleware.check(socket);
            return result == null ? CompletableFuture.completedFuture(null) : result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The socket passed the middleware: it joins its own room (a recovered one its old rooms too),
     * the client hears CONNECT, the handlers run, and a recovered socket gets what it missed.
     */
    private void join(Client client, Socket socket, Session restored, String offset) {
        Socket previous = sockets.remove(socket.id());
        if (previous != null) {
            // The same client, back before this node noticed its old connection was dead.
            adapter.leaveAll(previous.id());
            previous.superseded();
        }
        if (!enter(socket)) {
            // Emptied and forgotten while this socket was admitted: the client's CONNECT goes to the namespace anew.
            adapter.leaveAll(socket.id());
            client.connectAgain(name, socket.handshake().auth());
            return;
        }
        adapter.join(socket.id(), socket.id());
        if (restored != null) {
            restored.rooms().forEach(room -> adapter.join(socket.id(), room));
        }
        client.add(socket);
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("sid", socket.id());
        if (socket.pid() != null) {
            reply.put("pid", socket.pid());
            adapter.sessionOpened(socket.pid(), socket::session);
        }
        client.send(new SocketIoPacket(SocketIoPacketType.CONNECT, name, null, reply));
        for (Consumer<Socket> handler : connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (RuntimeException e) {
                log.warn("connection handler on {} failed", name, e);
            }
        }
        if (restored != null) {
            adapter.missedPackets(restored, offset).whenCompleteAsync((missed, error) -> {
                if (error == null) {
                    socket.finishRecovery(missed);
                } else {
                    // Without what it missed the socket must not go on: the client comes back and tries again.
                    log.warn("could not read what socket {} on {} missed: {}", socket.id(), name, error.toString());
                    client.session().close(DisconnectReason.TRANSPORT_ERROR, false);
                }
            }, client.session()::onLoop);
        }
    }

    /** A child of a dynamic namespace starts with its parent's middleware and connection handlers (socket.io's createChild). */
    void inherit(List<AsyncMiddleware> parentMiddlewares, List<Consumer<Socket>> parentHandlers) {
        middlewares.addAll(parentMiddlewares);
        connectionHandlers.addAll(parentHandlers);
    }

    /** A middleware turned the socket away: rooms it joined meanwhile go with it. */
    private void refuse(Client client, Socket socket, String message, Object data) {
        adapter.leaveAll(socket.id());
        client.refuse(name, message, data);
    }

    /** The socket left: its session is kept for recovery when the reason allows, else forgotten (reason null: neither). */
    void remove(Socket socket, DisconnectReason reason) {
        if (socket.pid() != null && reason != null) {
            if (ConnectionStateRecovery.RECOVERABLE.contains(reason)) {
                adapter.persistSession(socket.session());
            } else {
                adapter.discardSession(socket.pid());
            }
        }
        if (sockets.remove(socket.id(), socket)) {
            adapter.leaveAll(socket.id());
        }
        Runnable emptied = whenEmpty;
        if (emptied != null && retireIfEmpty()) {
            emptied.run();
        }
    }

    private synchronized boolean retireIfEmpty() {
        if (retired || !sockets.isEmpty()) {
            return false;
        }
        retired = true;
        return true;
    }

    /** Adds the socket, unless this namespace was retired meanwhile (event loops race where Node's one thread cannot). */
    private boolean enter(Socket socket) {
        if (whenEmpty == null) {
            sockets.put(socket.id(), socket);
            return true;
        }
        synchronized (this) {
            if (retired) {
                return false;
            }
            sockets.put(socket.id(), socket);
            return true;
        }
    }

    void whenEmpty(Runnable action) {
        this.whenEmpty = action;
    }

    /** What the adapter may do to this namespace's sockets on this node, for this node's and the fleet's operations. */
    private final class Hooks implements LocalSockets {

        /**
         * Encodes a broadcast once, frames it once as a websocket frame (see EnginePacket#websocketFrame)
         * and writes it to each target still here, as the flags say: one task per event loop, not per socket.
         */
        @Override
        public void deliver(BroadcastPacket broadcast, Set<String> socketIds, PacketFlags flags) {
            List<EnginePacket> encoded = Client.engineMessages(PacketEncoder.encode(
                    new SocketIoPacket(SocketIoPacketType.EVENT, broadcast.nsp(), null, broadcast.data())), flags.compress());
            Map<EventLoop, List<Socket>> byLoop = new HashMap<>();
            forEach(socketIds, socket -> byLoop.computeIfAbsent(socket.loop(), loop -> new ArrayList<>()).add(socket));
            if (socketIds.size() > 1) {
                encoded.forEach(EnginePacket::websocketFrame);
            }
            byLoop.forEach((loop, group) -> {
                if (loop.inEventLoop()) {
                    group.forEach(socket -> socket.deliver(broadcast, encoded, flags));
                } else {
                    loop.execute(() -> group.forEach(socket -> socket.deliver(broadcast, encoded, flags)));
                }
            });
        }

        @Override
        public int deliverWithAck(BroadcastPacket broadcast, Set<String> socketIds, PacketFlags flags, Duration timeout,
                                  Consumer<JsonNode> onAck) {
            ArrayNode payload = (ArrayNode) broadcast.data();
            int[] sent = {0};
            forEach(socketIds, socket -> {
                sent[0]++;
                socket.emitWithAck(payload, timeout, flags).thenAccept(reply ->
                        onAck.accept(reply.isEmpty() ? NullNode.getInstance() : reply.get(0)));
            });
            return sent[0];
        }

        @Override
        public List<SocketDetails> describe(Set<String> socketIds) {
            List<SocketDetails> details = new ArrayList<>(socketIds.size());
            forEach(socketIds, socket -> details.add(new SocketDetails(socket.id(),
                    Handshakes.toJson(socket.handshake()), socket.rooms(), Json.tree(socket.data()))));
            return details;
        }

        @Override
        public void join(Set<String> socketIds, Set<String> rooms) {
            forEach(socketIds, socket -> rooms.forEach(socket::join));
        }

        @Override
        public void leave(Set<String> socketIds, Set<String> rooms) {
            forEach(socketIds, socket -> rooms.forEach(socket::leave));
        }

        @Override
        public void disconnect(Set<String> socketIds, boolean close) {
            forEach(socketIds, socket -> socket.disconnect(close));
        }

        @Override
        public void serverSideEmit(JsonNode data, Consumer<JsonNode> ack) {
            String event = data.get(0).asText();
            List<JsonNode> args = new ArrayList<>(data.size() - 1);
            for (int i = 1; i < data.size(); i++) {
                args.add(data.get(i));
            }
            Ack reply = ack == null ? Ack.NONE : new Ack() {
                @Override
                public void send(Object... values) {
                    ack.accept(values.length == 0 ? NullNode.getInstance() : Json.tree(values[0]));
                }

                @Override
                public boolean requested() {
                    return true;
                }
            };
            for (EventHandler handler : serverSideHandlers.getOrDefault(event, List.of())) {
                try {
                    handler.handle(args, reply);
                } catch (Exception e) {
                    log.warn("server-side handler for '{}' on {} failed", event, name, e);
                }
            }
        }

        private void forEach(Set<String> socketIds, Consumer<Socket> action) {
            for (String socketId : socketIds) {
                Socket socket = sockets.get(socketId);
                if (socket != null) {
                    action.accept(socket);
                }
            }
        }
    }
}
