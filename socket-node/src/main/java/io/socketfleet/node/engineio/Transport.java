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
     * Ends the transport from the server side. The client just sees the transport go away
     * (a held long-poll is answered with a close packet) and socket.io-client reconnects by
     * itself; the session sends its close packet first when the client is meant to stay away.
     */
    void close();
}
