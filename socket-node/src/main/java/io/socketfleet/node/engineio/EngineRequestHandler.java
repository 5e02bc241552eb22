package io.socketfleet.node.engineio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

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
        List<EngineMiddleware> middlewares = server.middlewares();
        if (middlewares.isEmpty()) {
            dispatch(ctx, request, reply, router, new ConcurrentHashMap<>());
        } else {
            applyMiddlewares(ctx, request, reply, router, middlewares);
        }
    }

    /**
     * Runs the engine middleware in order (engine.io's {@code _applyMiddlewares}), then handles the
     * request on the connection's loop; a failure refuses it with 400 MIDDLEWARE_FAILURE. The request
     * is kept until then (the middleware may complete on any thread).
     */
    private void applyMiddlewares(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                                  ChannelHandler router, List<EngineMiddleware> middlewares) {
        EngineRequest described = EngineRequest.of(ctx.channel(), request, new QueryStringDecoder(request.uri()));
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (EngineMiddleware middleware : middlewares) {
            chain = chain.thenCompose(done -> middleware.apply(described, reply.commonHeaders()));
        }
        request.retain();
        chain.whenComplete((done, failure) -> ctx.executor().execute(() -> {
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (failure == null) {
                    dispatch(ctx, request, reply, router, described.attributes());
                } else {
                    log.debug("engine middleware refused {} {}", request.method(), request.uri(), failure);
                    refuse(ctx, request, null, reply, new Refusal(EngineError.BAD_REQUEST, Map.of("name", "MIDDLEWARE_FAILURE")));
                }
            } finally {
                request.release();
            }
        }));
    }

    /** Handles a request the middleware let through; {@code attributes} are what it attached to the request. */
    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply, ChannelHandler router,
                          Map<String, Object> attributes) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        try {
            query.parameters();
        } catch (IllegalArgumentException e) {
            // A broken escape such as "x=%zz": answer it rather than let the decoder's exception close the connection.
            refuse(ctx, request, null, reply, new Refusal(EngineError.BAD_REQUEST, Map.of("name", "BAD_QUERY")));
            return;
        }
        boolean upgradeRequest = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        String sid = param(query, "sid");
        Optional<EngineSession> session = sid == null ? Optional.empty() : server.find(sid);
        Optional<Refusal> refusal = verify(request, query, upgradeRequest, sid, session);
        if (refusal.isPresent()) {
            refuse(ctx, request, query, reply, refusal.get());
        } else if (session.isPresent()) {
            if (upgradeRequest) {
                upgrade(ctx, request, reply, router, session.get());
            } else {
                poll(ctx, request, query, reply, session.get());
            }
        } else if (server.allowRequest() == null) {
            handshake(ctx, request, reply, router, query, upgradeRequest, attributes);
        } else {
            askAllowRequest(ctx, request, reply, router, query, upgradeRequest, attributes);
        }
    }

    /** Why a request is turned away: the error its client gets, and what engine.io's connection_error context says. */
    private record Refusal(EngineError error, Map<String, Object> context) {
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, HttpReply reply,
                        Refusal refusal) {
        EngineError error = refusal.error();
        if (error.isRefusal()) {
            server.metrics().sessionRefused(error.name().toLowerCase(Locale.ROOT));
        }
        String message = (String) refusal.context().getOrDefault("message", error.message());
        reply.error(error, message);
        server.connectionError(() -> new ConnectionError(EngineRequest.of(ctx.channel(), request, query),
                error.code(), error.message(), refusal.context()));
    }

    /**
     * Asks the application's allowRequest, then handshakes or refuses on the connection's loop.
     * The request is kept until the verdict (it may come from any thread).
     */
    private void askAllowRequest(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                                 ChannelHandler router, QueryStringDecoder query, boolean upgradeRequest,
                                 Map<String, Object> attributes) {
        CompletionStage<AllowRequest.Verdict> verdict;
        try {
            verdict = server.allowRequest().check(EngineRequest.of(ctx.channel(), request, query));
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        request.retain();
        verdict.whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (failure != null) {
                    log.warn("allowRequest failed; refusing the handshake", failure);
                }
                if (failure == null && answer != null && answer.allowed()) {
                    handshake(ctx, request, reply, router, query, upgradeRequest, attributes);
                } else {
                    String message = failure == null && answer != null ? answer.message() : EngineError.FORBIDDEN.message();
                    refuse(ctx, request, query, reply, new Refusal(EngineError.FORBIDDEN, Map.of("message", message)));
                }
            } finally {
                request.release();
            }
        }));
    }

    /**
     * Checks a request before anything happens, as engine.io's verify() does: why to turn it away, if
     * anything (allowRequest comes after, for a handshake that passed these).
     */
    private Optional<Refusal> verify(FullHttpRequest request, QueryStringDecoder query, boolean upgradeRequest,
                                     String sid, Optional<EngineSession> session) {
        TransportOptions transports = server.options().transport();
        String protocol = param(query, "EIO");
        if (!"4".equals(protocol)) {
            return refusal(EngineError.UNSUPPORTED_PROTOCOL_VERSION, "protocol", String.valueOf(protocol));
        }
        String transport = param(query, "transport");
        if (transport == null || !transports.offers(transport)) {
            return refusal(EngineError.UNKNOWN_TRANSPORT, "transport", String.valueOf(transport));
        }
        if (TransportOptions.WEBSOCKET.equals(transport) != upgradeRequest) {
            return refusal(EngineError.BAD_REQUEST, "name", "TRANSPORT_HANDSHAKE_ERROR");
        }
        if (upgradeRequest) {
            // Checked before any session exists, so a request the handshaker would refuse creates nothing.
            Optional<String> problem = WebSocketRequests.problem(request);
            if (problem.isPresent()) {
                log.debug("refusing a websocket upgrade: {}", problem.get());
                return refusal(EngineError.BAD_REQUEST, "name", "INVALID_UPGRADE");
            }
        }
        if (sid != null) {
            if (session.isEmpty()) {
                return refusal(EngineError.UNKNOWN_SID, "sid", sid);
            }
            if (upgradeRequest && !transports.allowUpgrades()) {
                return refusal(EngineError.BAD_REQUEST, "name", "UPGRADES_NOT_ALLOWED");
            }
            return Optional.empty();
        }
        if (!HttpMethod.GET.equals(request.method())) {
            return refusal(EngineError.BAD_HANDSHAKE_METHOD, "method", request.method().name());
        }
        return server.refusal().map(error -> new Refusal(error, Map.of("name", error.name())));
    }

    private static Optional<Refusal> refusal(EngineError error, String key, String value) {
        return Optional.of(new Refusal(error, Map.of(key, value)));
    }

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                           ChannelHandler router, QueryStringDecoder query, boolean websocket,
                           Map<String, Object> attributes) {
        String address = server.clientAddress(ctx.channel(), request);
        if (!server.reserveHandshake(address)) {
            refuse(ctx, request, query, reply, new Refusal(EngineError.TOO_MANY_HANDSHAKES,
                    Map.of("name", EngineError.TOO_MANY_HANDSHAKES.name())));
            return;
        }
        if (websocket) {
            WebSocketTransport ws = new WebSocketTransport(ctx.channel(), server.options().maxPayload());
            EngineSession session = server.create(ctx.channel(), request, query, address, attributes);
            ws.attach(session);
            upgradeChannel(ctx, request, reply, router, ws, true).addListener(done -> {
                if (done.isSuccess()) {
                    session.onLoop(() -> session.open(ws));
                } else {
                    session.close(DisconnectReason.TRANSPORT_ERROR, false);
                }
            });
        } else {
            EngineSession session = server.create(ctx.channel(), request, query, address, attributes);
            SessionCookie cookie = server.options().transport().cookie();
            if (cookie != null) {
                reply.commonHeaders().add(HttpHeaderNames.SET_COOKIE, cookie.header(session.id()));
            }
            server.addResponseHeaders(reply.commonHeaders(), true, () -> EngineRequest.of(ctx.channel(), request, query, attributes));
            PollingTransport polling = new PollingTransport(session);
            session.open(polling);
            polling.onGet(reply);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply,
                         ChannelHandler router, EngineSession session) {
        WebSocketTransport ws = new WebSocketTransport(ctx.channel(), server.options().maxPayload());
        ws.attach(session);
        request.retain();
        // Register the probing transport on the session's loop before any frame can reach it.
        session.onLoop(() -> {
            if (!session.canStartUpgrade()) {
                // As engine.io: a websocket for a session already upgraded (or upgrading, or closing) is
                // accepted and closed at once, so the client sees a closed transport rather than an HTTP error.
                ctx.channel().eventLoop().execute(() -> {
                    try {
                        upgradeChannel(ctx, request, reply, router, ws, false).addListener(done -> ctx.channel()
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
                    upgradeChannel(ctx, request, reply, router, ws, false).addListener(done -> {
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

    /** {@code opening}: the websocket opens a session (no sid), so its response gets the initial headers too. */
    private ChannelFuture upgradeChannel(ChannelHandlerContext ctx, FullHttpRequest request,
                                         HttpReply reply, ChannelHandler router,
                                         WebSocketTransport ws, boolean opening) {
        Channel channel = ctx.channel();
        if (!channel.isActive() || channel.pipeline().context(router) == null) {
            // The client went away while the upgrade waited for its turn on the loop: its pipeline is
            // being torn down, so there is nothing to upgrade (and no router left to remove).
            return channel.newFailedFuture(new ClosedChannelException());
        }
        int maxPayload = server.options().maxPayload();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri(), null, true, maxPayload)
                .newHandshaker(request);
        if (handshaker == null) {
            return WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
        }
        ChannelPipeline pipeline = channel.pipeline();
        // No frame aggregator: the transport adds one if a client ever sends a message in fragments.
        pipeline.addLast(ws);
        pipeline.remove(router);
        // Nothing HTTP is left to read once the connection is a websocket (the handshaker swaps the codec itself).
        if (pipeline.get(HttpServerExpectContinueHandler.class) != null) {
            pipeline.remove(HttpServerExpectContinueHandler.class);
        }
        HttpHeaders responseHeaders = reply.commonHeaders();
        server.addResponseHeaders(responseHeaders, opening,
                () -> EngineRequest.of(channel, request, new QueryStringDecoder(request.uri())));
        if (server.options().transport().perMessageDeflate()) {
            responseHeaders = PerMessageDeflate.negotiate(request, pipeline, pipeline.context(ws),
                    responseHeaders, maxPayload);
        }
        try {
            return handshaker.handshake(channel, request, responseHeaders, channel.newPromise());
        } catch (RuntimeException e) {
            // WebSocketRequests rules these out; should the handshaker still refuse, end this connection only.
            log.info("websocket handshake from {} failed: {}", channel.remoteAddress(), e.toString());
            channel.close();
            return channel.newFailedFuture(e);
        }
    }

    private void poll(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, HttpReply reply,
                      EngineSession session) {
        boolean get = HttpMethod.GET.equals(request.method());
        boolean post = HttpMethod.POST.equals(request.method());
        if (!get && !post) {
            reply.error(EngineError.BAD_REQUEST);
            return;
        }
        String body = post ? request.content().toString(StandardCharsets.UTF_8) : null;
        // Here, while the request is still at hand (the session's loop may run the rest after it is released).
        server.addResponseHeaders(reply.commonHeaders(), false, () -> EngineRequest.of(ctx.channel(), request, query));
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
