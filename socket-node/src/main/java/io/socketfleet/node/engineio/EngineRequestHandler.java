package io.socketfleet.node.engineio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Serves the Engine.IO endpoint ({@code /socket.io/}): validates the query, opens sessions,
 * answers long-polls, and turns a connection into a websocket transport.
 */
public final class EngineRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(EngineRequestHandler.class);

    private final EngineServer server;

    public EngineRequestHandler(EngineServer server) {
        this.server = server;
    }

    /**
     * Handles one request. {@code router} is the handler that called us; it leaves the
     * pipeline when the connection becomes a websocket.
     */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply, ChannelHandler router) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        try {
            query.parameters();
        } catch (IllegalArgumentException e) {
            // A broken escape such as "x=%zz": answer it rather than let the decoder's exception close the connection.
            reply.error(EngineError.BAD_REQUEST);
            return;
        }
        boolean upgradeRequest = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        String sid = param(query, "sid");
        Optional<EngineSession> session = sid == null ? Optional.empty() : server.find(sid);
        Optional<EngineError> error = verify(request, query, upgradeRequest, sid, session);
        if (error.isPresent()) {
            if (error.get().isRefusal()) {
                server.metrics().sessionRefused(error.get().name().toLowerCase(Locale.ROOT));
            }
            reply.error(error.get());
        } else if (session.isEmpty()) {
            handshake(ctx, request, reply, router, query, upgradeRequest);
        } else if (upgradeRequest) {
            upgrade(ctx, request, reply, router, session.get());
        } else {
            poll(request, reply, session.get());
        }
    }

    /** Checks a request before anything happens, as engine.io's verify() does: the error to answer, if any. */
    private Optional<EngineError> verify(FullHttpRequest request, QueryStringDecoder query, boolean upgradeRequest,
                                         String sid, Optional<EngineSession> session) {
        if (!"4".equals(param(query, "EIO"))) {
            return Optional.of(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        }
        String transport = param(query, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            return Optional.of(EngineError.UNKNOWN_TRANSPORT);
        }
        if ("websocket".equals(transport) != upgradeRequest) {
            return Optional.of(EngineError.BAD_REQUEST);
        }
        if (upgradeRequest) {
            // Checked before any session exists, so a request the handshaker would refuse creates nothing.
            Optional<String> problem = WebSocketRequests.problem(request);
            if (problem.isPresent()) {
                log.debug("refusing a websocket upgrade: {}", problem.get());
                return Optional.of(EngineError.BAD_REQUEST);
            }
        }
        if (sid != null) {
            return session.isEmpty() ? Optional.of(EngineError.UNKNOWN_SID) : Optional.empty();
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return Optional.of(EngineError.BAD_HANDSHAKE_METHOD);
        }
        return server.refusal();
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                           ChannelHandler router, QueryStringDecoder query, boolean websocket) {
        String address = server.clientAddress(ctx.channel(), request);
        if (!server.reserveHandshake(address)) {
            server.metrics().sessionRefused(EngineError.TOO_MANY_HANDSHAKES.name().toLowerCase(Locale.ROOT));
            reply.error(EngineError.TOO_MANY_HANDSHAKES);
            return;
        }
        if (websocket) {
            WebSocketTransport ws = new WebSocketTransport(ctx.channel());
            EngineSession session = server.create(ctx.channel(), request, query, address);
            ws.attach(session);
            upgradeChannel(ctx, request, reply, router, ws).addListener(done -> {
                if (done.isSuccess()) {
                    session.onLoop(() -> session.open(ws));
                } else {
                    session.close(DisconnectReason.TRANSPORT_ERROR, false);
                }
            });
        } else {
            EngineSession session = server.create(ctx.channel(), request, query, address);
            PollingTransport polling = new PollingTransport(session);
            session.open(polling);
            polling.onGet(reply);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                         ChannelHandler router, EngineSession session) {
        WebSocketTransport ws = new WebSocketTransport(ctx.channel());
        ws.attach(session);
        request.retain();
        // Register the probing transport on the session's loop before any frame can reach it.
        session.onLoop(() -> {
            if (!session.canStartUpgrade()) {
                // As engine.io: a websocket for a session already upgraded (or upgrading, or closing) is
                // accepted and closed at once, so the client sees a closed transport rather than an HTTP error.
                ctx.channel().eventLoop().execute(() -> {
                    try {
                        upgradeChannel(ctx, request, reply, router, ws).addListener(done -> ctx.channel()
                                .writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                                .addListener(ChannelFutureListener.CLOSE));
                    } finally {
                        request.release();
                    }
                });
                return;
            }
            session.beginUpgrade(ws);
            ctx.channel().eventLoop().execute(() -> {
                try {
                    upgradeChannel(ctx, request, reply, router, ws).addListener(done -> {
                        if (!done.isSuccess()) {
                            session.transportClosed(ws, DisconnectReason.TRANSPORT_ERROR);
                        }
                    });
                } finally {
                    request.release();
                }
            });
        });
    }

    private ChannelFuture upgradeChannel(ChannelHandlerContext ctx, FullHttpRequest request,
                                                          HttpReply reply, ChannelHandler router,
                                                          WebSocketTransport ws) {
        Channel channel = ctx.channel();
        int maxPayload = server.options().maxPayload();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, true, maxPayload)
                .newHandshaker(request);
        if (handshaker == null) {
            return WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
        }
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new WebSocketFrameAggregator(maxPayload), ws);
        pipeline.remove(router);
        try {
            return handshaker.handshake(channel, request, reply.commonHeaders(), channel.newPromise());
        } catch (RuntimeException e) {
            // WebSocketRequests rules these out; should the handshaker still refuse, end this connection only.
            log.info("websocket handshake from {} failed: {}", channel.remoteAddress(), e.toString());
            channel.close();
            return channel.newFailedFuture(e);
        }
    }

    private void poll(FullHttpRequest request, HttpReply reply, EngineSession session) {
        boolean get = HttpMethod.GET.equals(request.method());
        boolean post = HttpMethod.POST.equals(request.method());
        if (!get && !post) {
            reply.error(EngineError.BAD_REQUEST);
            return;
        }
        String body = post ? request.content().toString(StandardCharsets.UTF_8) : null;
        session.onLoop(() -> {
            if (!(session.transport() instanceof PollingTransport polling) || session.isClosed() && !polling.owesClose()) {
                reply.error(session.isClosed() ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST);
                return;
            }
            if (get) {
                polling.onGet(reply);
            } else {
                polling.onPost(reply, body);
            }
        });
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
