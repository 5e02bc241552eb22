package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.concurrent.ScheduledFuture;
import io.socketfleet.node.adapter.PacketFlags;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.engineio.EnginePacket;
import io.socketfleet.node.engineio.EngineSession;
import io.socketfleet.node.engineio.SessionListener;
import io.socketfleet.node.socketio.parser.EncodedPacket;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.socketio.parser.PacketDecoder;
import io.socketfleet.node.socketio.parser.PacketEncoder;
import io.socketfleet.node.socketio.parser.SocketIoPacket;
import io.socketfleet.node.socketio.parser.SocketIoPacketType;
import io.socketfleet.node.socketio.parser.SocketIoProtocolException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO side of one Engine.IO session: decodes packets and routes them to the
 * sockets of the namespaces the client joined. Runs on the session's event loop.
 */
final class Client implements SessionListener {

    private final EngineSession session;
    private final SocketIoServer server;
    private final PacketDecoder decoder = new PacketDecoder();
    /** Sized for the usual one or two namespaces per client. */
    private final Map<String, Socket> sockets = new HashMap<>(2);
    /** Namespaces whose CONNECT is still being decided (a dynamic namespace's filter, async middleware); made when first needed. */
    private Set<String> connecting;
    /** Until the first socket joins; dropped then, so an established client holds no spent timer. */
    private ScheduledFuture<?> connectDeadline;

    Client(EngineSession session, SocketIoServer server) {
        this.session = session;
        this.server = server;
        this.connectDeadline = scheduleConnectDeadline();
    }

    private ScheduledFuture<?> scheduleConnectDeadline() {
        return session.loop().schedule(this::connectDeadlinePassed, server.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectDeadlinePassed() {
        connectDeadline = null;
        if (!sockets.isEmpty()) {
            return;
        }
        if (connecting != null) {
            // Its CONNECT came and is still being decided (a session taken back from Redis, async middleware):
            // the client did its part. Expiring it now would only send it round again, and in a reconnect storm
            // to a busy node, where a recovery can take longer than the timeout, again and again.
            connectDeadline = scheduleConnectDeadline();
            return;
        }
        session.expireUnjoined();
    }

    EngineSession session() {
        return session;
    }

    @Override
    public void onMessage(EnginePacket packet) {
        Optional<SocketIoPacket> decoded;
        try {
            decoded = packet.isBinary() ? decoder.decode(packet.binary()) : decoder.decode(packet.text());
        } catch (SocketIoProtocolException e) {
            // As socket.io: every socket's error handlers hear of it before the connection closes.
            List.copyOf(sockets.values()).forEach(socket -> socket.error(e));
            // socket.io closes the connection on a bad Socket.IO packet (as on one out of state) and its sockets
            // see "forced close"; "parse error" is only for an Engine.IO packet that cannot be decoded.
            session.protocolError(DisconnectReason.FORCED_CLOSE, e.getMessage());
            return;
        }
        decoded.ifPresent(this::route);
    }

    private void route(SocketIoPacket packet) {
        if (packet.type() == SocketIoPacketType.CONNECT) {
            connect(packet);
            return;
        }
        Socket socket = sockets.get(packet.nsp());
        if (socket == null) {
            session.protocolError(DisconnectReason.FORCED_CLOSE,
                    packet.type() + " for namespace " + packet.nsp() + " which is not joined");
            return;
        }
        if (packet.type() == SocketIoPacketType.DISCONNECT) {
            sockets.remove(packet.nsp());
            socket.closed(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        } else {
            socket.receive(packet);
        }
    }

    private void connect(SocketIoPacket packet) {
        String nsp = packet.nsp();
        if (sockets.containsKey(nsp) || connecting != null && connecting.contains(nsp)) {
            session.protocolError(DisconnectReason.FORCED_CLOSE,
                    "CONNECT for namespace " + nsp + " which is already joined");
            return;
        }
        Optional<Namespace> namespace = server.namespace(nsp);
        if (namespace.isPresent()) {
            namespace.get().connect(this, packet.data());
            return;
        }
        // Not there yet: a dynamic namespace's filter may create it (socket.io's _checkNamespace).
        connecting(nsp, true);
        server.dynamicNamespace(nsp, packet.data()).whenCompleteAsync((created, failure) -> {
            connecting(nsp, false);
            if (session.isClosed()) {
                return;
            }
            if (created != null && created.isPresent()) {
                created.get().connect(this, packet.data());
            } else {
                refuse(nsp, "Invalid namespace", null);
            }
        }, session::onLoop);
    }

    /** Asks for a namespace again, as a CONNECT would (the one it was admitted to was retired meanwhile). */
    void connectAgain(String nsp, JsonNode auth) {
        connect(new SocketIoPacket(SocketIoPacketType.CONNECT, nsp, null, auth));
    }

    /** A namespace's middleware is deciding on this client's CONNECT: a second one for it is a protocol error. */
    void connecting(String nsp, boolean pending) {
        if (pending) {
            if (connecting == null) {
                connecting = new HashSet<>(2);
            }
            connecting.add(nsp);
        } else if (connecting != null) {
            connecting.remove(nsp);
            if (connecting.isEmpty()) {
                connecting = null;
            }
        }
    }

    /** A socket passed its namespace's middleware: from now on the connect timeout no longer applies. */
    void add(Socket socket) {
        sockets.put(socket.namespace().name(), socket);
        cancelConnectDeadline();
        session.established();
    }

    void remove(Socket socket) {
        sockets.remove(socket.namespace().name(), socket);
    }

    /** Answers a CONNECT with CONNECT_ERROR {"message", "data"}; the client sees connect_error. */
    void refuse(String nsp, String message, Object data) {
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("message", message);
        if (data != null) {
            error.set("data", Json.tree(data));
        }
        send(new SocketIoPacket(SocketIoPacketType.CONNECT_ERROR, nsp, null, error));
    }

    void send(SocketIoPacket packet) {
        send(packet, PacketFlags.DEFAULT);
    }

    void send(SocketIoPacket packet, PacketFlags flags) {
        write(engineMessages(PacketEncoder.encode(packet), flags.compress()), flags);
    }

    /** Writes encoded messages; a volatile write is dropped when the transport cannot take it now (socket.io's writeToEngine). */
    void write(List<EnginePacket> messages, PacketFlags flags) {
        if (flags.volatilePacket()) {
            session.sendVolatile(messages);
        } else {
            session.send(messages);
        }
    }

    /** An encoded packet as Engine.IO messages: the text header, then one binary message per attachment. */
    static List<EnginePacket> engineMessages(EncodedPacket encoded, boolean compress) {
        List<EnginePacket> messages = new ArrayList<>(1 + encoded.attachments().size());
        messages.add(EnginePacket.message(encoded.header()).withCompress(compress));
        encoded.attachments().forEach(bytes -> messages.add(EnginePacket.message(bytes).withCompress(compress)));
        return messages;
    }

    @Override
    public void onUpgrade(String transport) {
        List.copyOf(sockets.values()).forEach(socket -> socket.upgraded(transport));
    }

    @Override
    public void onClose(DisconnectReason reason) {
        cancelConnectDeadline();
        List.copyOf(sockets.values()).forEach(socket -> socket.closed(reason));
        sockets.clear();
    }

    private void cancelConnectDeadline() {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
            connectDeadline = null;
        }
    }
}
