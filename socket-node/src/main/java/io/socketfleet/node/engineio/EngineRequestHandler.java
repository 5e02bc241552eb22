package io.socketfleet.node.engineio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.socketfleet.node.http.Responder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Serves the Engine.IO endpoint ({@code /socket.io/}): validates the query, opens sessions,
 * answers long-polls, and turns a connection into a websocket transport.
 */
public final class EngineRequestHandler {

    private final EngineServer server;

    public EngineRequestHandler(EngineServer server) {
        this.server = server;
    }

    /** Answers an Engine.IO error with its JSON body, e.g. 400 {"code":1,...}. */
    static void error(Responder responder, EngineError error) {
        responder.json(HttpResponseStatus.valueOf(error.httpStatus()), error.json());
    }

    /**
     * Handles one request. {@code router} is the handler that called us; it leaves the
     * pipeline when the connection becomes a websocket.
     */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, Responder responder, ChannelHandler router) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        if (!"4".equals(param(query, "EIO"))) {
            error(responder, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        String transport = param(query, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            error(responder, EngineError.UNKNOWN_TRANSPORT);
            return;
        }
        boolean upgradeRequest = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        if ("websocket".equals(transport) != upgradeRequest) {
            error(responder, EngineError.BAD_REQUEST);
            return;
        }
        String sid = param(query, "sid");
        if (sid == null) {
            handshake(ctx, request, responder, router, query, upgradeRequest);
            return;
        }
        Optional<EngineSession> found = server.find(sid);
        if (found.isEmpty()) {
            error(responder, EngineError.UNKNOWN_SID);
            return;
        }
        EngineSession session = found.get();
        if (upgradeRequest) {
            upgrade(ctx, request, responder, router, session);
        } else {
            poll(request, responder, session);
        }
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, Responder responder,
                           ChannelHandler router, QueryStringDecoder query, boolean websocket) {
        if (!HttpMethod.GET.equals(request.method())) {
            error(responder, EngineError.BAD_HANDSHAKE_METHOD);
            return;
        }
        Optional<String> refusal = server.refusal();
        if (refusal.isPresent()) {
            server.metrics().sessionRefused(refusal.get());
            String message = switch (refusal.get()) {
                case "draining" -> "Server is draining";
                case "starting" -> "Server is starting";
                default -> "Server at capacity";
            };
            responder.json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"code\":3,\"message\":\"" + message + "\"}");
            return;
        }
        if (websocket) {
            WebSocketTransport ws = new WebSocketTransport(ctx.channel());
            EngineSession session = server.create(ctx.channel(), request, query);
            ws.attach(session);
            upgradeChannel(ctx, request, responder, router, ws).addListener(done -> {
                if (done.isSuccess()) {
                    session.onLoop(() -> session.open(ws));
                } else {
                    session.close("transport error", false);
                }
            });
        } else {
            EngineSession session = server.create(ctx.channel(), request, query);
            PollingTransport polling = new PollingTransport(session);
            session.open(polling);
            polling.onGet(responder);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, Responder responder,
                         ChannelHandler router, EngineSession session) {
        WebSocketTransport ws = new WebSocketTransport(ctx.channel());
        ws.attach(session);
        request.retain();
        // Register the probing transport on the session's loop before any frame can reach it.
        session.onLoop(() -> {
            if (!session.canStartUpgrade()) {
                ctx.channel().eventLoop().execute(() -> {
                    error(responder, EngineError.BAD_REQUEST);
                    request.release();
                });
                return;
            }
            session.beginUpgrade(ws);
            ctx.channel().eventLoop().execute(() -> {
                try {
                    upgradeChannel(ctx, request, responder, router, ws).addListener(done -> {
                        if (!done.isSuccess()) {
                            session.transportClosed(ws, "transport error");
                        }
                    });
                } finally {
                    request.release();
                }
            });
        });
    }

    private ChannelFuture upgradeChannel(ChannelHandlerContext ctx, FullHttpRequest request,
                                                          Responder responder, ChannelHandler router,
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
        return handshaker.handshake(channel, request, responder.commonHeaders(), channel.newPromise());
    }

    private void poll(FullHttpRequest request, Responder responder, EngineSession session) {
        boolean get = HttpMethod.GET.equals(request.method());
        boolean post = HttpMethod.POST.equals(request.method());
        if (!get && !post) {
            error(responder, EngineError.BAD_REQUEST);
            return;
        }
        String body = post ? request.content().toString(StandardCharsets.UTF_8) : null;
        session.onLoop(() -> {
            if (!(session.transport() instanceof PollingTransport polling) || session.isClosed()) {
                error(responder, session.isClosed() ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST);
                return;
            }
            if (get) {
                polling.onGet(responder);
            } else {
                polling.onPost(responder, body);
            }
        });
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
