package io.socketfleet.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.socketfleet.node.NetworkTransport;
import io.socketfleet.node.engineio.UnmaskedFrame;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The "limit" peer: a plain Netty websocket server that puts on the wire exactly the bytes a
 * socket.io server would for the benchmark's behaviour ("echo", "broadcast", "memory", the open
 * and connect packets, a ping every interval), found by looking at the frame's first characters
 * and never parsing JSON. No sessions, no rooms, no acks table: what moving these frames costs
 * on this machine, below which no socket.io server on Netty can go. A broadcast is framed once
 * and written to every channel as a retained duplicate.
 * Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.LimitPeer HOST PORT PING_MS TIMEOUT_MS
 */
public final class LimitPeer {

    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final String open;

    private LimitPeer(long pingMs, long timeoutMs) {
        open = "0{\"sid\":\"%s\",\"upgrades\":[],\"pingInterval\":" + pingMs + ",\"pingTimeout\":" + timeoutMs
                + ",\"maxPayload\":1000000}";
    }

    public static void main(String[] args) throws InterruptedException {
        long pingMs = Long.parseLong(args[2]);
        LimitPeer peer = new LimitPeer(pingMs, Long.parseLong(args[3]));
        // The same transport socket-node would run on, so the two compare like for like.
        NetworkTransport transport = NetworkTransport.choose(BenchNodeApp.transport());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(transport.ioHandlers());
        new ServerBootstrap().group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/socket.io/", null, false, 1 << 20, false, true),
                                peer.new Frames());
                    }
                })
                .bind(args[0], Integer.parseInt(args[1])).sync();
        workers.next().scheduleAtFixedRate(() -> peer.channels.writeAndFlush(new TextWebSocketFrame("2")),
                pingMs, pingMs, TimeUnit.MILLISECONDS);
        System.out.println("transport " + transport);
        System.out.println("listening");
        Thread.currentThread().join();
    }

    /** Answers each client frame by its first characters. */
    private final class Frames extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                channels.add(ctx.channel());
                ctx.writeAndFlush(new TextWebSocketFrame(open.formatted(UUID.randomUUID())));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            if (text.startsWith("40")) {
                ctx.writeAndFlush(new TextWebSocketFrame("40{\"sid\":\"" + UUID.randomUUID() + "\"}"));
            } else if (text.startsWith("42")) {
                event(ctx, text);
            }
        }

        /** {@code 42<id>["name",args…]}: the reply is {@code 43<id>[…]}. */
        private void event(ChannelHandlerContext ctx, String text) {
            int bracket = text.indexOf('[');
            String id = text.substring(2, bracket);
            int nameEnd = text.indexOf('"', bracket + 2);
            String name = text.substring(bracket + 2, nameEnd);
            String args = text.substring(nameEnd + 1, text.length() - 1); // "" or ",a,b"
            switch (name) {
                case "echo" -> ctx.writeAndFlush(new TextWebSocketFrame("43" + id + "[" + strip(args) + "]"));
                case "broadcast" -> {
                    broadcast("2[\"msg\"" + args + "]");
                    ctx.writeAndFlush(new TextWebSocketFrame("43" + id + "[]"));
                }
                case "memory" -> ctx.writeAndFlush(new TextWebSocketFrame("43" + id + "[{\"heapUsed\":" + BenchNodeApp.heapAfterGc() + "}]"));
                default -> { }
            }
        }

        private static String strip(String args) {
            return args.isEmpty() ? args : args.substring(1);
        }

        private void broadcast(String payload) {
            ByteBuf frame = UnmaskedFrame.text(PooledByteBufAllocator.DEFAULT, '4', payload);
            channels.writeAndFlush(frame); // a retained duplicate each
        }
    }
}
