package io.socketfleet.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.socketfleet.node.adapter.AdapterFactory;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.http.HttpServerInitializer;
import io.socketfleet.node.http.StaticContent;
import io.socketfleet.node.metrics.NodeMetrics;
import io.socketfleet.node.socketio.SocketIoServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Takes a fresh JVM through what its first clients will make it do — a websocket handshake, a
 * polling handshake and its upgrade, CONNECT, emits with acks, a room broadcast, disconnect —
 * before the node listens, so their classes are loaded and initialised and the JIT has compiled
 * the hot paths by the time real clients arrive: a node just scaled up is then not slowest exactly
 * when it takes its first burst of connections. It runs on a private Engine.IO/Socket.IO server
 * of its own (its own metrics, no adapter to Redis, not the application's namespaces), on Netty's
 * embedded channels through the node's own HTTP pipeline, so no client, metric or application
 * handler ever sees it.
 */
final class Warmup {

    /** What a warm-up did: connections run through and the time it took. */
    record Result(int connections, Duration took) {
    }

    private static final String TOKEN = "7f0000010bb8";

    private final EngineServer engine;
    private final SocketIoServer io;
    private final HttpServerInitializer pipeline;

    private Warmup(EngineOptions options, Duration connectTimeout) {
        NodeMetrics metrics = new NodeMetrics();
        engine = new EngineServer(options.withHandshakeLimit(0, false).withMaxConnections(Integer.MAX_VALUE), metrics);
        engine.advertise(TOKEN);
        io = new SocketIoServer(engine, AdapterFactory.local(), connectTimeout);
        io.mainNamespace().onConnection(socket -> {
            socket.join("warmup");
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("broadcast", (args, ack) -> {
                io.to("warmup").emit("news", args.get(0));
                ack.send();
            });
        });
        pipeline = new HttpServerInitializer(engine, new StaticContent(), metrics, "warmup", () -> "");
    }

    /** Runs connections through a private server for about {@code budget}; none at all for zero. */
    static Result run(EngineOptions options, Duration connectTimeout, Duration budget) {
        long started = System.nanoTime();
        if (budget.isZero()) {
            return new Result(0, Duration.ZERO);
        }
        Warmup warmup = new Warmup(options, connectTimeout);
        long deadline = started + budget.toNanos();
        int connections = 0;
        while (System.nanoTime() < deadline) {
            // Mostly websockets, as most clients open them directly; every fourth the polling start browsers make.
            if (connections % 4 == 3) {
                warmup.pollingThenUpgrade();
            } else {
                warmup.websocket();
            }
            connections++;
        }
        warmup.io.close();
        return new Result(connections, Duration.ofNanos(System.nanoTime() - started));
    }

    private void websocket() {
        EmbeddedChannel channel = new EmbeddedChannel(pipeline);
        try {
            exchange(channel, upgradeRequest("/socket.io/?EIO=4&transport=websocket"));
            talk(channel);
        } finally {
            channel.close();
            channel.runPendingTasks();
            channel.finishAndReleaseAll();
        }
    }

    private void pollingThenUpgrade() {
        EmbeddedChannel polling = new EmbeddedChannel(pipeline);
        EmbeddedChannel websocket = new EmbeddedChannel(pipeline);
        try {
            String open = exchange(polling, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: warmup\r\n\r\n");
            int at = open.indexOf("\"sid\":\"");
            if (at < 0) {
                return;
            }
            String sid = open.substring(at + 7, open.indexOf('"', at + 7));
            String query = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
            exchange(polling, "POST " + query + " HTTP/1.1\r\nHost: warmup\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                    + "Content-Length: 2\r\n\r\n40");
            exchange(polling, "GET " + query + " HTTP/1.1\r\nHost: warmup\r\n\r\n");
            exchange(websocket, upgradeRequest("/socket.io/?EIO=4&transport=websocket&sid=" + sid));
            frame(websocket, "2probe");
            frame(websocket, "5");
            frame(websocket, "421[\"echo\",\"upgraded\"]");
        } finally {
            for (EmbeddedChannel channel : new EmbeddedChannel[] {websocket, polling}) {
                channel.close();
                channel.runPendingTasks();
                channel.finishAndReleaseAll();
            }
        }
    }

    /** CONNECT, then the emits a typical client makes, each answered with an ack. */
    private static void talk(EmbeddedChannel channel) {
        frame(channel, "40");
        frame(channel, "420[\"echo\",{\"text\":\"hello\",\"n\":1,\"ok\":true,\"list\":[1,2.5,\"x\"]}]");
        frame(channel, "421[\"broadcast\",\"to the room\"]");
        frame(channel, "42[\"echo\",\"no ack\"]");
        frame(channel, "3");
    }

    private static String upgradeRequest(String uri) {
        return "GET " + uri + " HTTP/1.1\r\nHost: warmup\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nUser-Agent: warmup\r\n\r\n";
    }

    /** Sends raw HTTP bytes and returns what the node wrote back, as text. */
    private static String exchange(EmbeddedChannel channel, String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        return written(channel);
    }

    /** Sends one client text frame (masked with a zero key, so the payload reads as is). */
    private static void frame(EmbeddedChannel channel, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer(payload.length + 8);
        frame.writeByte(0x81);
        if (payload.length < 126) {
            frame.writeByte(0x80 | payload.length);
        } else {
            frame.writeByte(0x80 | 126).writeShort(payload.length);
        }
        frame.writeInt(0).writeBytes(payload);
        channel.writeInbound(frame);
        written(channel);
    }

    private static String written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder text = new StringBuilder();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            if (out instanceof ByteBuf bytes) {
                text.append(bytes.toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(out);
        }
        return text.toString();
    }
}
