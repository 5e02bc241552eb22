package io.socketfleet.node.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

/**
 * permessage-deflate on a websocket, when the node enables it and the client offers it (as the
 * {@code ws} package does for engine.io's {@code perMessageDeflate}). A message under
 * {@link TransportOptions#PER_MESSAGE_DEFLATE_THRESHOLD} bytes, or one the application sent with
 * {@code compress(false)}, goes uncompressed.
 */
final class PerMessageDeflate {

    /** Compression level 6 (zlib's default, as {@code ws}); the JDK's zlib cannot narrow the server's window. */
    private static final int LEVEL = 6;

    private PerMessageDeflate() {
    }

    /**
     * Accepts the client's permessage-deflate offer, if it made one: puts the extension's decoder and
     * encoder in front of {@code before} and returns the handshake response headers naming it.
     */
    static HttpHeaders negotiate(HttpRequest request, ChannelPipeline pipeline, ChannelHandlerContext before,
                                 HttpHeaders responseHeaders, int maxPayload) {
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return responseHeaders;
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                LEVEL, false, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, false, false,
                new SkipSmallOrPlain(), maxPayload);
        for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension extension = handshaker.handshakeExtension(offer);
            if (extension != null) {
                pipeline.addBefore(before.name(), "permessage-deflate-decoder", extension.newExtensionDecoder());
                pipeline.addBefore(before.name(), "permessage-deflate-encoder", extension.newExtensionEncoder());
                WebSocketExtensionData answer = extension.newReponseData();
                StringBuilder header = new StringBuilder(answer.name());
                answer.parameters().forEach((key, value) -> header.append("; ").append(key)
                        .append(value == null ? "" : "=" + value));
                return responseHeaders.copy().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, header.toString());
            }
        }
        return responseHeaders;
    }

    /** Leaves small messages and those sent with {@code compress(false)} uncompressed; decodes whatever the client compressed. */
    private static final class SkipSmallOrPlain implements WebSocketExtensionFilterProvider {

        private static final WebSocketExtensionFilter ENCODER = frame -> frame instanceof UncompressedFrame
                || frame.content().readableBytes() < TransportOptions.PER_MESSAGE_DEFLATE_THRESHOLD;

        @Override
        public WebSocketExtensionFilter encoderFilter() {
            return ENCODER;
        }

        @Override
        public WebSocketExtensionFilter decoderFilter() {
            return WebSocketExtensionFilter.NEVER_SKIP;
        }
    }

    /** Marks a frame the application asked not to compress. */
    interface UncompressedFrame {
    }

    static final class UncompressedTextFrame extends TextWebSocketFrame
            implements UncompressedFrame {
        UncompressedTextFrame(String text) {
            super(text);
        }
    }

    static final class UncompressedBinaryFrame extends BinaryWebSocketFrame
            implements UncompressedFrame {
        UncompressedBinaryFrame(ByteBuf content) {
            super(content);
        }
    }
}
