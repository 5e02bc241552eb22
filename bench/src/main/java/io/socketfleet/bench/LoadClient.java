package io.socketfleet.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The load generator: many websocket clients on a few Netty threads, each speaking
 * Engine.IO/Socket.IO itself (far cheaper than one Node client object each). Connections
 * are spread over several loopback source addresses so ephemeral ports never run out.
 */
final class LoadClient implements AutoCloseable {

    private static final int SOURCE_ADDRESSES = 20;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private int opened;

    LoadClient(int threads) {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Opens {@code count} clients to {@code url} (http://host:port), at most {@code parallel} handshakes at once. */
    List<Connection> connect(String url, int count, int parallel) throws InterruptedException {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Connection>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<Connection> future = open(url);
            future.whenComplete((c, e) -> inFlight.release());
            futures.add(future);
        }
        List<Connection> connections = new ArrayList<>(count);
        for (CompletableFuture<Connection> future : futures) {
            connections.add(future.orTimeout(300, TimeUnit.SECONDS).join()); // generous: the machine may be loaded
        }
        return connections;
    }

    CompletableFuture<Connection> open(String url) {
        URI http = URI.create(url);
        URI ws = URI.create("ws://" + http.getHost() + ":" + http.getPort() + "/socket.io/?EIO=4&transport=websocket");
        String source = "127.0.0." + (100 + (opened++ % SOURCE_ADDRESSES));
        CompletableFuture<Connection> result = new CompletableFuture<>();
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                ws, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new ClientHandler(handshaker, result));
            }
        });
        b.connect(new InetSocketAddress(http.getHost(), http.getPort()), new InetSocketAddress(source, 0))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }

    static void closeAll(List<Connection> connections) {
        connections.forEach(Connection::close);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Handshake, then frames to the Connection. */
    private static final class ClientHandler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        private final CompletableFuture<Connection> result;
        private Connection connection;

        ClientHandler(WebSocketClientHandshaker handshaker, CompletableFuture<Connection> result) {
            this.handshaker = handshaker;
            this.result = result;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            Channel ch = ctx.channel();
            if (!handshaker.isHandshakeComplete()) {
                FullHttpResponse response = (FullHttpResponse) msg;
                handshaker.finishHandshake(ch, response);
                ch.pipeline().addBefore(ctx.name(), "aggregate", new WebSocketFrameAggregator(1 << 20));
                connection = new Connection(ch);
                String node = response.headers().get("X-Socketfleet-Node");
                connection.node = node == null ? "" : node;
                connection.connected.whenComplete((c, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(c);
                    }
                });
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                connection.receive(text.text());
            } else if (msg instanceof CloseWebSocketFrame) {
                ch.close();
            } else if (msg instanceof WebSocketFrame) {
                // binary frames are not used by the benchmarks
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IllegalStateException("connection closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }
}
