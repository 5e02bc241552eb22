package io.socketfleet.node.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Floods from a peer that never reads, written from a background thread (the writes block once the node stops reading). */
public final class Floods {

    /** The ping payload every flood ping carries (the largest a control frame may). */
    public static final byte[] PING_PAYLOAD = "p".repeat(125).getBytes(StandardCharsets.US_ASCII);

    private Floods() {
    }

    /** Writes {@code count} copies of {@code request} back to back, pipelined, on this connection. */
    public static CompletableFuture<Void> pipelined(RawHttp connection, String request, int count) {
        byte[] flood = request.repeat(count).getBytes(StandardCharsets.ISO_8859_1);
        return CompletableFuture.runAsync(() -> write(connection, flood, 1));
    }

    /** Upgrades this connection to a websocket, then writes {@code count} ping frames (a multiple of 1,000). */
    public static CompletableFuture<Void> pings(RawHttp connection, int count) throws IOException {
        connection.write(RawHttp.websocketUpgrade(""));
        int status = connection.readResponse().status();
        if (status != 101) {
            throw new IOException("websocket upgrade answered " + status);
        }
        byte[] ping = RawHttp.clientFrame(0x9, PING_PAYLOAD);
        byte[] chunk = new byte[1000 * ping.length];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(ping, 0, chunk, i * ping.length, ping.length);
        }
        return CompletableFuture.runAsync(() -> write(connection, chunk, count / 1000));
    }

    private static void write(RawHttp connection, byte[] bytes, int times) {
        try {
            for (int i = 0; i < times; i++) {
                connection.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
