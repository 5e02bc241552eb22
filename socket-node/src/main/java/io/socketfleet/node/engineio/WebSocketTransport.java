package io.socketfleet.node.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The websocket transport: one Engine.IO packet per frame, text frames for text packets,
 * binary frames for binary message packets. It is also the channel's last handler.
 */
final class WebSocketTransport extends SimpleChannelInboundHandler<WebSocketFrame> implements Transport {

    private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

    private final Channel channel;
    private final int maxPayload;
    private EngineSession session;
    private Boolean rawFrames;
    /** Where ready-made frames enter the pipeline: below the frame encoder, which would only pass them on. */
    private ChannelHandlerContext rawFrameWriter;
    /** Written to in this event-loop turn, with the flush left to {@link TurnFlush}. */
    private boolean flushPending;

    /** {@code maxPayload} bounds a message a client sends in fragments, once joined together. */
    WebSocketTransport(Channel channel, int maxPayload) {
        this.channel = channel;
        this.maxPayload = maxPayload;
    }

    void attach(EngineSession session) {
        this.session = session;
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public boolean canSend() {
        // Past the channel's high-water mark the session keeps packets in its own bounded outbox.
        return channel.isActive() && channel.isWritable();
    }

    @Override
    public void send(List<EnginePacket> packets) {
        if (rawFrames()) {
            // Every queued packet's frame in one buffer: a broadcast's frame as built once for all its
            // recipients, any other packet encoded straight into the buffer; flushed at the end of the turn.
            int size = 0;
            for (EnginePacket packet : packets) {
                byte[] built = packet.builtWebsocketFrame();
                size += built != null ? built.length : UnmaskedFrame.headerSize(packet.encodedSize()) + packet.encodedSize();
            }
            ByteBuf frames = channel.alloc().directBuffer(size);
            for (EnginePacket packet : packets) {
                byte[] built = packet.builtWebsocketFrame();
                if (built != null) {
                    frames.writeBytes(built);
                } else if (packet.isBinary()) {
                    UnmaskedFrame.writeBinary(frames, packet.binary());
                } else {
                    UnmaskedFrame.writeText(frames, packet.type().digit(), packet.text(), packet.encodedSize());
                }
            }
            if (channel.eventLoop().inEventLoop()) {
                rawFrameWriter.write(frames, channel.voidPromise());
                if (!flushPending) {
                    flushPending = true;
                    TurnFlush.later(channel.eventLoop(), this);
                }
            } else {
                // A session on another loop than its websocket (upgraded from polling): Netty hands this over.
                rawFrameWriter.writeAndFlush(frames, channel.voidPromise());
            }
            return;
        }
        for (EnginePacket packet : packets) {
            WebSocketFrame frame = packet.compress() ? compressibleFrame(packet) : uncompressedFrame(packet);
            channel.write(frame, channel.voidPromise());
        }
        channel.flush();
    }

    /** The end of the turn in which frames were written: they go out together. */
    void flushNow() {
        flushPending = false;
        rawFrameWriter.flush();
    }

    private static WebSocketFrame compressibleFrame(EnginePacket packet) {
        return packet.isBinary()
                ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet.binary()))
                : new TextWebSocketFrame(packet.encodeText());
    }

    /** A frame permessage-deflate (when negotiated) leaves alone: the application sent it with compress(false). */
    private static WebSocketFrame uncompressedFrame(EnginePacket packet) {
        return packet.isBinary()
                ? new PerMessageDeflate.UncompressedBinaryFrame(Unpooled.wrappedBuffer(packet.binary()))
                : new PerMessageDeflate.UncompressedTextFrame(packet.encodeText());
    }

    /**
     * Whether frames may go as ready-made bytes, past Netty's frame encoder: not when a websocket
     * extension (permessage-deflate) negotiated in the handshake wants to transform them.
     */
    private boolean rawFrames() {
        if (rawFrames == null) {
            // Looked up at the first send, after the handshake (which adds any extension) is done.
            ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
            rawFrames = encoder != null && channel.pipeline().get(WebSocketExtensionEncoder.class) == null;
            rawFrameWriter = encoder;
        }
        return rawFrames;
    }

    @Override
    public long unsentBytes() {
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        return unsent == null ? 0 : unsent.totalPendingWriteBytes();
    }

    @Override
    public void close() {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
        if (!frame.isFinalFragment()) {
            joinFragments(ctx, frame);
            return;
        }
        EngineSession target = session;
        if (frame instanceof TextWebSocketFrame text) {
            String data = text.text();
            target.onLoop(() -> {
                try {
                    target.receive(this, EnginePacketCodec.decodeText(data));
                } catch (EngineProtocolException e) {
                    target.protocolError(DisconnectReason.PARSE_ERROR, e.getMessage());
                }
            });
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            byte[] data = ByteBufUtil.getBytes(binary.content());
            target.onLoop(() -> target.receive(this, EnginePacket.message(data)));
        } else if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The first fragment of a message: from now on an aggregator in front of this handler joins a
     * message's fragments into one frame. It is added only here because clients (socket.io-client,
     * browsers) send each message as one frame, so most websockets never need one.
     */
    private void joinFragments(ChannelHandlerContext ctx, WebSocketFrame first) throws Exception {
        WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(maxPayload);
        ctx.pipeline().addBefore(ctx.name(), "websocket-fragments", aggregator);
        // Handed to the aggregator as if it had been there already (this handler releases its own reference).
        aggregator.channelRead(ctx.pipeline().context(aggregator), first.retain());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && session != null) {
            session.onLoop(session::flush);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.transportClosed(this, DisconnectReason.TRANSPORT_CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            log.info("closing websocket from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            log.debug("websocket error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
        if (session != null) {
            session.transportClosed(this, DisconnectReason.TRANSPORT_ERROR);
        }
    }
}
