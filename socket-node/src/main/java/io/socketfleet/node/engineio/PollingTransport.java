package io.socketfleet.node.engineio;

import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/**
 * HTTP long-polling: a GET is held until there is something to send; a POST carries client
 * packets. At most one of each may be in flight. Runs on the session's event loop.
 */
final class PollingTransport implements Transport {

    private static final String CONTENT_TYPE = "text/plain; charset=UTF-8";

    private final EngineSession session;
    private HttpReply pendingGet;
    /** Watches the held GET's connection; removed once the GET is answered, so keep-alive connections collect none. */
    private ChannelFutureListener abortWatch;
    private boolean retired;
    /** Closed while no GET was held: the next GET gets the close packet instead of "Session ID unknown". */
    private boolean closeOwed;
    /** The client knows the session is over (it sent close, dropped its poll, or got the close packet): nothing is owed. */
    private boolean clientKnowsClosed;

    PollingTransport(EngineSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "polling";
    }

    @Override
    public boolean canSend() {
        return pendingGet != null;
    }

    @Override
    public void send(List<EnginePacket> packets) {
        HttpReply get = pendingGet;
        pendingGet = null;
        get.closeFuture().removeListener(abortWatch);
        abortWatch = null;
        if (packets.contains(EnginePacket.CLOSE)) {
            clientKnowsClosed = true;
        }
        String payload = EnginePacketCodec.encodePayload(packets);
        get.payload(payload, compressible(packets, payload));
    }

    /**
     * As engine.io: a response is compressed when any packet in it allows it and it reaches the
     * threshold ({@code compress(false)} on every packet of a response keeps it plain).
     */
    private boolean compressible(List<EnginePacket> packets, String payload) {
        int threshold = session.options().transport().httpCompressionThreshold();
        return threshold >= 0 && packets.stream().anyMatch(EnginePacket::compress)
                && EnginePacket.utf8Length(payload) >= threshold;
    }

    @Override
    public void close() {
        if (pendingGet != null) {
            // A close packet ends the poll; socket.io-client reconnects on it like on a lost transport.
            send(List.of(EnginePacket.CLOSE));
        } else if (!clientKnowsClosed) {
            closeOwed = true;
        }
        retired = true;
    }

    /** The client sent a close packet: as engine.io, a held poll ends with a noop, and nothing more is owed. */
    void clientClosed() {
        clientKnowsClosed = true;
        releaseWithNoop();
    }

    /** Whether the client has yet to be told, on its next GET, that the session is closed. */
    boolean owesClose() {
        return closeOwed;
    }

    /** A GET arrived. */
    void onGet(HttpReply get) {
        if (closeOwed) {
            closeOwed = false;
            // Forgotten before the answer leaves: a client that has read the close never finds it still known.
            session.closeDelivered();
            get.text(HttpResponseStatus.OK, CONTENT_TYPE, EnginePacketCodec.encodePayload(List.of(EnginePacket.CLOSE)));
            return;
        }
        if (retired) {
            get.error(EngineError.BAD_REQUEST);
            return;
        }
        if (pendingGet != null) {
            get.error(EngineError.BAD_REQUEST);
            session.protocolError(DisconnectReason.TRANSPORT_ERROR, "overlapping polling GET");
            return;
        }
        pendingGet = get;
        // A client that drops the connection of its held GET is gone: close now, as engine.io does
        // ("poll connection closed prematurely"), rather than wait for the ping timeout.
        abortWatch = closed -> session.onLoop(() -> {
            if (pendingGet == get) {
                pendingGet = null;
                abortWatch = null;
                clientKnowsClosed = true;
                session.transportClosed(this, DisconnectReason.TRANSPORT_ERROR);
            }
        });
        get.closeFuture().addListener(abortWatch);
        if (session.isUpgrading()) {
            releaseWithNoop();
        } else {
            session.flush();
        }
    }

    /** A POST arrived with this body. */
    void onPost(HttpReply post, String body) {
        if (closeOwed) {
            post.text(HttpResponseStatus.OK, "text/html", "ok"); // the session is over; its next GET says so
            return;
        }
        if (retired) {
            post.error(EngineError.BAD_REQUEST);
            return;
        }
        List<EnginePacket> packets;
        try {
            packets = EnginePacketCodec.decodePayload(body);
        } catch (EngineProtocolException e) {
            post.error(EngineError.BAD_REQUEST);
            session.protocolError(DisconnectReason.PARSE_ERROR, e.getMessage());
            return;
        }
        post.text(HttpResponseStatus.OK, "text/html", "ok");
        for (EnginePacket packet : packets) {
            session.receive(this, packet);
        }
    }

    /** Answers a held GET with a noop so the client's poll ends (used during upgrade). */
    void releaseWithNoop() {
        if (pendingGet != null) {
            send(List.of(EnginePacket.NOOP));
        }
    }

    /** The session moved to a websocket: end any poll and refuse later ones. */
    void retire() {
        releaseWithNoop();
        retired = true;
    }
}
