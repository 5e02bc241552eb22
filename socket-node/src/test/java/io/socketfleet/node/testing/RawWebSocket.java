package io.socketfleet.node.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare websocket speaking Engine.IO by hand, for what the official client never sends:
 * malformed packets, silence, protocol violations. Reading can be paused to play a slow client.
 */
public final class RawWebSocket implements AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private final boolean autoRead;

    private RawWebSocket(String url, boolean autoRead) {
        this.autoRead = autoRead;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener())
                .join();
    }

    /** Opens {@code /socket.io/?EIO=4&transport=websocket} on the node at this port. */
    public static RawWebSocket open(int port) {
        return new RawWebSocket("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket", true);
    }

    /** Like {@link #open} but reads only the open packet, then stops reading. */
    public static RawWebSocket openNotReading(int port) {
        return new RawWebSocket("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket", false);
    }

    public static RawWebSocket open(String url) {
        return new RawWebSocket(url, true);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one text message as a frame per part (the first a text frame, the rest continuations), as the official clients never do. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next text frame, or null if none came in time. */
    public String next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next text frame that is not a server ping. */
    public String nextNonPing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (frame != null && !frame.equals("2")) {
                return frame;
            }
        }
        return null;
    }

    /** The next text frame starting with {@code prefix}, skipping others (pings, greetings). */
    public String nextStartingWith(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (frame != null && frame.startsWith(prefix)) {
                return frame;
            }
        }
        return null;
    }

    /** Opens the main namespace and returns the CONNECT reply. */
    public String connectMain() throws InterruptedException {
        // Generous upper bounds: on a loaded machine a handshake can take seconds.
        String open = next(Duration.ofSeconds(15));
        if (open == null || !open.startsWith("0{")) {
            throw new AssertionError("expected the open packet, got " + open);
        }
        send("40");
        return nextNonPing(Duration.ofSeconds(15));
    }

    /** Whether the server closed the connection within the timeout. */
    public boolean closedWithin(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            if (autoRead) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            frames.add("<binary " + data.remaining() + ">");
            if (autoRead) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
