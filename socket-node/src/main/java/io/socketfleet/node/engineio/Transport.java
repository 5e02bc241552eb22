package io.socketfleet.node.engineio;

import java.util.List;

/** A way of carrying Engine.IO packets to one client: long-polling or a websocket. */
interface Transport {

    String name();

    /** True when {@link #send} may be called now without queueing beyond the transport. */
    boolean canSend();

    void send(List<EnginePacket> packets);

    /** Bytes handed to the connection but not yet taken by the peer, control frames included. */
    default long unsentBytes() {
        return 0;
    }

    /**
     * Ends the transport from the server side. With {@code announce} the client is told
     * with a close packet where the transport allows it; otherwise it just sees the
     * transport go away (and socket.io-client reconnects by itself).
     */
    void close(boolean announce);
}
