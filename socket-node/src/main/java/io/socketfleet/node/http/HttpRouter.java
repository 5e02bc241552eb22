package io.socketfleet.node.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.socketfleet.node.engineio.EngineRequestHandler;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/** Sends each HTTP request to the Engine.IO endpoint, the operations endpoints or the static page. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Every response names the node that served it, so tests and people can see the balancing. */
    static final String NODE_HEADER = "X-Socketfleet-Node";

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final EngineRequestHandler engineHandler;
    private final EngineServer engine;
    private final StaticContent statics;
    private final NodeMetrics metrics;
    private final Cors cors;
    private final String nodeName;
    private final Supplier<String> readinessDetail;

    HttpRouter(EngineServer engine, StaticContent statics, NodeMetrics metrics, Cors cors, String nodeName,
               Supplier<String> readinessDetail) {
        this.engineHandler = new EngineRequestHandler(engine);
        this.engine = engine;
        this.statics = statics;
        this.metrics = metrics;
        this.cors = cors;
        this.nodeName = nodeName;
        this.readinessDetail = readinessDetail;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders common = Responder.headers().set(NODE_HEADER, nodeName);
        Responder responder = Responder.of(ctx, request, common);
        if (!request.decoderResult().isSuccess()) {
            responder.text(HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            // A broken escape in the path ("/%zz"): a plain 400, not a closed connection.
            responder.text(HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            return;
        }
        if (path.startsWith(engine.options().transport().endpointPrefix()) && !statics.has(path)) {
            if (HttpMethod.OPTIONS.equals(request.method())) {
                cors.applyPreflight(request, common);
                responder.empty(HttpResponseStatus.NO_CONTENT);
            } else {
                cors.apply(request, common);
                engineHandler.handle(ctx, request, responder, this);
            }
            return;
        }
        switch (path) {
            case "/healthz" -> responder.text(HttpResponseStatus.OK, "text/plain", "ok\n");
            case "/readyz" -> {
                if (engine.isStarting()) {
                    // Bound before Redis and the application are set up: a handshake now would get 503 "starting".
                    responder.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "starting\n");
                } else if (engine.isDraining()) {
                    responder.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "draining\n");
                } else if (engine.isAtCapacity()) {
                    // Honest under a handshake flood: a balancer sends new clients elsewhere until sessions free up.
                    responder.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "at capacity\n");
                } else {
                    // Ready even while Redis is away (the node serves its own clients); the detail says so.
                    responder.text(HttpResponseStatus.OK, "text/plain", "ready\n" + readinessDetail.get());
                }
            }
            // The pod's readiness probe: a draining node still serves its open sessions. Kubernetes marks the
            // terminating pod not ready but still serving, so nginx keeps routing those sessions here and sends
            // new connections elsewhere. /readyz (503 while draining) says whether new sessions are taken.
            case "/servingz" -> {
                if (engine.isStarting()) {
                    responder.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "starting\n");
                } else {
                    responder.text(HttpResponseStatus.OK, "text/plain",
                            engine.isDraining() ? "draining, serving open sessions\n" : "serving\n");
                }
            }
            // The node's open sessions as a bare number: what the operator and local mode read to pick the
            // emptiest nodes for a scale-down and to autoscale.
            case "/sessionz" -> responder.text(HttpResponseStatus.OK, "text/plain", engine.openSessions() + "\n");
            case "/metrics" -> responder.text(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape());
            default -> {
                Optional<FullHttpResponse> asset = statics.response(path, request.method());
                if (asset.isPresent()) {
                    responder.send(asset.get());
                } else {
                    responder.text(HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException refused) {
            // The codec gave up on this peer, e.g. more pipelined requests unanswered than it keeps
            // (128) from a peer that sends without reading its answers.
            metrics.protocolError();
            log.info("closing HTTP connection from {}: {}", ctx.channel().remoteAddress(),
                    refused.getCause() == null ? refused.getMessage() : refused.getCause().getMessage());
        } else {
            log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
