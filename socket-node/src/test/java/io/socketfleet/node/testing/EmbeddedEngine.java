package io.socketfleet.node.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.EngineServer;
import io.socketfleet.node.http.HttpServerInitializer;
import io.socketfleet.node.http.StaticContent;
import io.socketfleet.node.metrics.NodeMetrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An Engine.IO server behind the node's own HTTP pipeline, driven through Netty's
 * {@link EmbeddedChannel}: raw HTTP bytes in, responses and websocket frames out, and a
 * clock the test moves. No sockets, no threads: everything runs in the calling thread.
 */
public final class EmbeddedEngine {

    private static final String ROUTE_TOKEN = "7f0000010bb8";

    private final EngineServer server;
    private final HttpServerInitializer pipeline;
    private final List<Connection> connections = new ArrayList<>();

    public EmbeddedEngine(EngineOptions options) {
        this(options, true);
    }

    private EmbeddedEngine(EngineOptions options, boolean started) {
        NodeMetrics metrics = new NodeMetrics();
        server = new EngineServer(options, metrics);
        if (started) {
            server.advertise(ROUTE_TOKEN);
        }
        pipeline = new HttpServerInitializer(server, new StaticContent(), metrics, "embedded", () -> "");
    }

    /** A node bound but still starting: its route token not learnt yet ({@link #finishStarting()} ends that). */
    public static EmbeddedEngine starting(EngineOptions options) {
        return new EmbeddedEngine(options, false);
    }

    public void finishStarting() {
        server.advertise(ROUTE_TOKEN);
    }

    public EngineServer server() {
        return server;
    }

    /** A new client connection (keep-alive HTTP/1.1, possibly upgraded to a websocket later). */
    public Connection connect() {
        Connection connection = new Connection(new EmbeddedChannel(pipeline));
        connections.add(connection);
        return connection;
    }

    /** Moves every connection's clock forward and runs what came due. */
    public void advance(Duration time) {
        for (Connection connection : connections) {
            connection.channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        }
        settle();
    }

    /** Runs the tasks queued on every connection's event loop, until none is left. */
    private void settle() {
        boolean ran = true;
        while (ran) {
            ran = false;
            for (Connection connection : connections) {
                ran |= connection.runTasks();
            }
        }
    }

    /** An HTTP response as the client sees it. */
    public record Response(int status, String body) {
    }

    /** One client connection. */
    public final class Connection {

        private final EmbeddedChannel channel;
        private final EmbeddedChannel httpDecoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        private final EmbeddedChannel frameDecoder = new EmbeddedChannel(new WebSocket13FrameDecoder(false, true, 1 << 20));
        private final EmbeddedChannel frameEncoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        private final List<Response> responses = new ArrayList<>();
        private final List<String> frames = new ArrayList<>();
        private boolean websocket;
        private boolean closeFrameReceived;

        private Connection(EmbeddedChannel channel) {
            this.channel = channel;
        }

        /** Sends a GET; its response, if already written, is in {@link #response()}. */
        public Connection get(String uri) {
            return send("GET " + uri + " HTTP/1.1\r\nHost: node\r\n\r\n");
        }

        public Connection post(String uri, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return send("POST " + uri + " HTTP/1.1\r\nHost: node\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n" + body);
        }

        /** Asks to become a websocket, as a browser does; the answer (101 or an error) is in {@link #response()}. */
        public Connection upgrade(String uri) {
            return send("GET " + uri + " HTTP/1.1\r\nHost: node\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        }

        private Connection send(String request) {
            channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
            settle();
            return this;
        }

        /** The types of the handlers in this connection's pipeline now, first to last. */
        public List<Class<?>> handlers() {
            List<Class<?>> types = new ArrayList<>();
            channel.pipeline().forEach(entry -> types.add(entry.getValue().getClass()));
            return types;
        }

        /** Sends a websocket text frame (masked, as clients must). */
        public Connection sendFrame(String text) {
            frameEncoder.writeOutbound(new TextWebSocketFrame(text));
            ByteBuf encoded;
            while ((encoded = frameEncoder.readOutbound()) != null) {
                channel.writeInbound(encoded);
            }
            settle();
            return this;
        }

        /** The client drops the connection. */
        public void drop() {
            channel.close();
            settle();
        }

        /** The oldest response not yet taken; empty while the request is held (a long-poll). */
        public Optional<Response> response() {
            settle();
            if (responses.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(responses.remove(0));
        }

        /** The websocket text frames received since the last call. */
        public List<String> frames() {
            settle();
            List<String> taken = List.copyOf(frames);
            frames.clear();
            return taken;
        }

        /** True once the server sent a websocket close frame or closed the connection. */
        public boolean closedByServer() {
            settle();
            return closeFrameReceived || !channel.isOpen();
        }

        /** Runs this connection's queued tasks and reads what the server wrote; true if anything ran or arrived. */
        private boolean runTasks() {
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
            boolean any = false;
            Object out;
            while ((out = channel.readOutbound()) != null) {
                any = true;
                read((ByteBuf) out);
            }
            return any;
        }

        private void read(ByteBuf bytes) {
            if (websocket) {
                frameDecoder.writeInbound(bytes);
                WebSocketFrame frame;
                while ((frame = frameDecoder.readInbound()) != null) {
                    if (frame instanceof TextWebSocketFrame text) {
                        frames.add(text.text());
                    } else if (frame instanceof CloseWebSocketFrame) {
                        closeFrameReceived = true;
                    }
                    frame.release();
                }
                return;
            }
            httpDecoder.writeInbound(bytes);
            FullHttpResponse response;
            while ((response = httpDecoder.readInbound()) != null) {
                responses.add(new Response(response.status().code(), response.content().toString(StandardCharsets.UTF_8)));
                // After "101 Switching Protocols" the rest of the bytes are websocket frames.
                websocket |= response.status().code() == 101;
                response.release();
            }
        }
    }
}
