package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.socketfleet.node.adapter.Adapter;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.socketio.parser.PacketEncoder;
import io.socketfleet.node.socketio.parser.SocketIoPacket;
import io.socketfleet.node.socketio.parser.SocketIoPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

    Namespace(String name, AdapterFactory adapters) {
        this.name = name;
        this.adapter = adapters.create(name, this::deliver);
    }

    /** The adapter's delivery hook: encodes a broadcast once and writes it to each target still here. */
    private void deliver(BroadcastPacket broadcast, Set<String> socketIds) {
        List<EnginePacket> encoded = Client.engineMessages(PacketEncoder.encode(
                new SocketIoPacket(SocketIoPacketType.EVENT, broadcast.nsp(), null, broadcast.data())));
        for (String socketId : socketIds) {
            Socket socket = sockets.get(socketId);
            if (socket != null) {
                socket.deliver(encoded);
            }
        }
    }

    public String name() {
        return name;
    }

    public Adapter adapter() {
        return adapter;
    }

    /** Adds a middleware; they run in order for every new socket. */
    public Namespace use(Middleware middleware) {
        middlewares.add(middleware);
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

    public BroadcastOperator except(String room) {
        return new BroadcastOperator(this).except(room);
    }

    public BroadcastOperator local() {
        return new BroadcastOperator(this).local();
    }

    /** Sockets connected to this namespace on this node. */
    public Collection<Socket> sockets() {
        return List.copyOf(sockets.values());
    }

    public int socketCount() {
        return sockets.size();
    }

    /** A client sent CONNECT for this namespace. Runs on the client's event loop. */
    void connect(Client client, JsonNode auth) {
        var session = client.session();
        Handshake handshake = new Handshake(auth == null ? JsonNodeFactory.instance.objectNode() : auth,
                session.headers(), session.query(), session.clientAddress(), Instant.now());
        Socket socket = new Socket(SocketIds.next(), this, client, handshake);
        for (Middleware middleware : middlewares) {
            try {
                middleware.check(socket);
            } catch (ConnectionRefusedException refused) {
                refuse(client, socket, refused.getMessage(), refused.data());
                return;
            } catch (RuntimeException e) {
                log.warn("middleware on {} failed", name, e);
                refuse(client, socket, "Internal error", null);
                return;
            }
        }
        sockets.put(socket.id(), socket);
        adapter.join(socket.id(), socket.id());
        client.add(socket);
        client.send(new SocketIoPacket(SocketIoPacketType.CONNECT, name, null,
                JsonNodeFactory.instance.objectNode().put("sid", socket.id())));
        for (Consumer<Socket> handler : connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (RuntimeException e) {
                log.warn("connection handler on {} failed", name, e);
            }
        }
    }

    /** A middleware turned the socket away: rooms it joined meanwhile go with it. */
    private void refuse(Client client, Socket socket, String message, Object data) {
        adapter.leaveAll(socket.id());
        client.refuse(name, message, data);
    }

    void remove(Socket socket) {
        sockets.remove(socket.id(), socket);
        adapter.leaveAll(socket.id());
    }
}
