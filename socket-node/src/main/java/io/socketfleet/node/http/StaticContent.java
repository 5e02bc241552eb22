package io.socketfleet.node.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The demo page and the official socket.io client bundle, loaded once from the classpath. */
public final class StaticContent {

    /** Path of the client bundle the page loads, as socket.io servers serve it. */
    public static final String CLIENT_BUNDLE = "/socket.io/socket.io.min.js";

    private record Asset(byte[] body, String contentType) {
    }

    private final Map<String, Asset> assets = new HashMap<>();

    public StaticContent() {
        add("/", "static/index.html", "text/html; charset=UTF-8");
        add("/index.html", "static/index.html", "text/html; charset=UTF-8");
        add(CLIENT_BUNDLE, "static/socket.io/socket.io.min.js", "application/javascript; charset=UTF-8");
        add(CLIENT_BUNDLE + ".map", "static/socket.io/socket.io.min.js.map", "application/json");
        if (!assets.containsKey(CLIENT_BUNDLE)) {
            throw new IllegalStateException("the socket.io client bundle is missing from the jar; "
                    + "build with 'npm ci && mvn package' so it is copied from node_modules/socket.io-client");
        }
    }

    private void add(String path, String resource, String contentType) {
        try (InputStream in = StaticContent.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                assets.put(path, new Asset(in.readAllBytes(), contentType));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String path) {
        return assets.containsKey(path);
    }

    /** Serves the asset at this path; empty when there is none. */
    public Optional<FullHttpResponse> response(String path, HttpMethod method) {
        Asset asset = assets.get(path);
        if (asset == null) {
            return Optional.empty();
        }
        boolean head = HttpMethod.HEAD.equals(method);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, path.startsWith("/socket.io/") ? "public, max-age=3600" : "no-cache");
        return Optional.of(response);
    }
}
