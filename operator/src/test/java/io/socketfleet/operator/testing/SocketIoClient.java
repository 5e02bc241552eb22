package io.socketfleet.operator.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Socket.IO client over a websocket (Engine.IO v4): joins the main namespace and
 * answers the server's pings, so it counts as one open session on its node for as long as the
 * test holds it; it can emit an event and keeps the events it receives. (The operator module has
 * no Node; the socket.io-client interop is socket-node's.)
 */
public final class SocketIoClient implements AutoCloseable {

    private final WebSocket socket;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private SocketIoClient(String address) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + address + "/socket.io/?EIO=4&transport=websocket"), new Listener())
                .join();
    }

    /** Connected to the main namespace of the node at {@code address}. */
    public static SocketIoClient connect(String address) throws Exception {
        SocketIoClient client = new SocketIoClient(address);
        client.connected.get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String packet = text.toString();
                text.setLength(0);
                if (packet.startsWith("0")) {
                    webSocket.sendText("40", true);          // Engine.IO open → Socket.IO CONNECT to "/"
                } else if (packet.equals("2")) {
                    webSocket.sendText("3", true);           // ping → pong
                } else if (packet.startsWith("40")) {
                    connected.complete(null);
                } else if (packet.startsWith("42")) {
                    events.add(packet.substring(2));
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Emits an event with JSON-encoded arguments, e.g. {@code emit("[\"chat\",{\"text\":\"hi\"}]")}. */
    public void emit(String jsonArray) {
        socket.sendText("42" + jsonArray, true).join();
    }

    /** The next event received whose JSON array contains {@code text}, within the timeout; null if none came. */
    public String awaitEvent(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null && event.contains(text)) {
                return event;
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
