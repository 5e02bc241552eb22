package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.socketfleet.node.adapter.PacketFlags;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to one socket's client with flags (socket.io's {@code socket.volatile} and
 * {@code socket.compress(…)}); immutable, each flag method returns a new emitter.
 * <pre>{@code
 * socket.asVolatile().emit("position", x, y);       // dropped if the transport is busy
 * socket.compress(false).emit("blob", bytes);      // never compressed by the transport
 * }</pre>
 */
public final class SocketEmitter {

    private final Socket socket;
    private final PacketFlags flags;

    SocketEmitter(Socket socket, PacketFlags flags) {
        this.socket = socket;
        this.flags = flags;
    }

    public SocketEmitter asVolatile() {
        return new SocketEmitter(socket, flags.asVolatile());
    }

    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(socket, flags.withCompress(compress));
    }

    public void emit(String event, Object... args) {
        socket.emit(flags, event, args);
    }

    /** As {@link Socket#emitWithAck}; a volatile emit that is dropped times out. */
    public CompletableFuture<ArrayNode> emitWithAck(Duration timeout, String event, Object... args) {
        return socket.emitWithAck(flags, timeout, event, args);
    }
}
