package io.socketfleet.node.engineio;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Packets written to one websocket in one event-loop turn leave with one flush at the end of the
 * turn, as the frames a client reads; the next turn flushes again. On a real event loop (Netty's
 * embedded channel runs queued tasks after every write, so it has no turns).
 */
class TurnFlushTest {

    @Test
    void writesOfOneTurnGoOutInOneFlushAfterIt() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            AtomicInteger flushes = new AtomicInteger();
            CompletableFuture<WebSocketTransport> server = new CompletableFuture<>();
            LocalAddress address = new LocalAddress("turn-flush-" + System.nanoTime());
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            WebSocketTransport transport = new WebSocketTransport(channel, EngineOptions.defaults().maxPayload());
                            // As after the upgrade: the server's frame encoder (no masking), the transport last.
                            channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                                @Override
                                public void flush(ChannelHandlerContext ctx) {
                                    flushes.incrementAndGet();
                                    ctx.flush();
                                }
                            }, new WebSocket08FrameEncoder(false), transport);
                            server.complete(transport);
                        }
                    }).bind(address).sync();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf bytes = (ByteBuf) msg;
                            synchronized (received) {
                                received.writeBytes(ByteBufUtil.getBytes(bytes));
                            }
                            bytes.release();
                        }
                    }).connect(address).sync().channel();
            WebSocketTransport transport = server.get(10, TimeUnit.SECONDS);
            EnginePacket broadcast = EnginePacket.message("2[\"msg\",\"hello\"]");
            broadcast.websocketFrame();  // framed once for many recipients, as a broadcast is
            int before = group.submit(flushes::get).get(10, TimeUnit.SECONDS);

            // One turn: a broadcast and an ack to the same socket.
            group.submit(() -> {
                transport.send(List.of(broadcast));
                transport.send(List.of(EnginePacket.message("31[]")));
            }).get(10, TimeUnit.SECONDS);
            byte[] expected = concat(broadcast.websocketFrame(), EnginePacket.message("31[]").websocketFrame());
            await().atMost(10, TimeUnit.SECONDS).until(() -> size(received) == expected.length);
            assertEquals(before + 1, group.submit(flushes::get).get(10, TimeUnit.SECONDS));
            assertArrayEquals(expected, bytes(received));

            // The next turn flushes again.
            group.submit(() -> transport.send(List.of(EnginePacket.PING))).get(10, TimeUnit.SECONDS);
            await().atMost(10, TimeUnit.SECONDS).until(() -> size(received) == expected.length + 3);
            assertEquals(before + 2, group.submit(flushes::get).get(10, TimeUnit.SECONDS));
            client.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static int size(ByteArrayOutputStream received) {
        synchronized (received) {
            return received.size();
        }
    }

    private static byte[] bytes(ByteArrayOutputStream received) {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
