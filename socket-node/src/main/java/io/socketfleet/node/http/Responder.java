package io.socketfleet.node.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.socketfleet.node.engineio.HttpReply;

import java.nio.charset.StandardCharsets;

/**
 * Answers one HTTP request, possibly later (a held long-poll): it remembers the channel,
 * whether to keep the connection alive and the headers every response carries.
 */
public final class Responder implements HttpReply {

    private static final String POLLING_CONTENT_TYPE = "text/plain; charset=UTF-8";

    private final ChannelHandlerContext ctx;
    private final HttpVersion version;
    private final boolean keepAlive;
    private final HttpHeaders commonHeaders;
    /** The request's Accept-Encoding, for a polling payload that may be compressed. */
    private final String acceptEncoding;

    private Responder(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, HttpHeaders commonHeaders,
                      String acceptEncoding) {
        this.ctx = ctx;
        this.version = version;
        this.keepAlive = keepAlive;
        this.commonHeaders = commonHeaders;
        this.acceptEncoding = acceptEncoding;
    }

    public static Responder of(ChannelHandlerContext ctx, HttpRequest request, HttpHeaders commonHeaders) {
        return new Responder(ctx, request.protocolVersion(), HttpUtil.isKeepAlive(request), commonHeaders,
                request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
    }

    /** Headers added to every response of this request (CORS, node name). */
    @Override
    public HttpHeaders commonHeaders() {
        return commonHeaders;
    }

    @Override
    public ChannelFuture closeFuture() {
        return ctx.channel().closeFuture();
    }

    @Override
    public ChannelFuture text(HttpResponseStatus status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ChannelFuture payload(String body, boolean compressible) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ContentEncoding encoding = compressible ? ContentEncoding.preferred(acceptEncoding) : ContentEncoding.IDENTITY;
        if (encoding == ContentEncoding.IDENTITY) {
            return bytes(HttpResponseStatus.OK, POLLING_CONTENT_TYPE, bytes);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(encoding.encode(bytes)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, POLLING_CONTENT_TYPE)
                .set(HttpHeaderNames.CONTENT_ENCODING, encoding.token());
        return send(response);
    }

    public ChannelFuture bytes(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return send(response);
    }

    public ChannelFuture empty(HttpResponseStatus status) {
        return send(new DefaultFullHttpResponse(version, status, Unpooled.EMPTY_BUFFER));
    }

    public ChannelFuture send(FullHttpResponse response) {
        response.headers().add(commonHeaders);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written;
    }

    public static HttpHeaders headers() {
        return new DefaultHttpHeaders();
    }
}
