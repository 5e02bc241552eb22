package io.socketfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The unlucky and hostile half of the soak test, speaking HTTP and websocket frames by hand:
 * long-polls whose connection is cut while held, websockets that stop reading while
 * broadcasts pile up for them, and handshakes that never send CONNECT.
 */
final class SoakAbusers {

    private final int port;
    private final Deque<Socket> slowReaders = new ArrayDeque<>();
    final AtomicLong abortedPolls = new AtomicLong();
    final AtomicLong slowReadersOpened = new AtomicLong();
    final AtomicLong silentHandshakes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    SoakAbusers(int port) {
        this.port = port;
    }

    /** One round: a few cut long-polls and silent handshakes, and the slow readers topped up to {@code slow}. */
    void round(int slow) {
        for (int i = 0; i < 3; i++) {
            attempt(this::abortedPoll);
            attempt(this::silentHandshake);
        }
        while (slowReaders.size() >= slow) {
            closeQuietly(slowReaders.removeFirst());
        }
        attempt(this::slowReader);
    }

    void close() {
        slowReaders.forEach(SoakAbusers::closeQuietly);
        slowReaders.clear();
    }

    private interface Attempt {
        void run() throws IOException;
    }

    private void attempt(Attempt attempt) {
        try {
            attempt.run();
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    /** Handshake, CONNECT, then a GET held open and its connection cut under it. */
    private void abortedPoll() throws IOException {
        try (Socket http = connect()) {
            String sid = sid(request(http, "GET", "/socket.io/?EIO=4&transport=polling", ""));
            request(http, "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "40");
            request(http, "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid, "");
            Socket held = connect();
            write(held, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
            pause(ThreadLocalRandom.current().nextInt(50, 300));
            held.setSoLinger(true, 0); // a reset, as when a phone loses its network
            held.close();
        }
        abortedPolls.incrementAndGet();
    }

    /** A polling handshake and nothing after it: the session must go at the connect timeout. */
    private void silentHandshake() throws IOException {
        try (Socket http = connect()) {
            request(http, "GET", "/socket.io/?EIO=4&transport=polling", "");
        }
        silentHandshakes.incrementAndGet();
    }

    /** A websocket that joins "/" and then never reads, with a small receive window. */
    private void slowReader() throws IOException {
        Socket ws = new Socket();
        ws.setReceiveBufferSize(4096);
        ws.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        write(ws, "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        // The 101 first: bytes sent along with the upgrade request would reach the HTTP decoder, not the websocket.
        ws.setSoTimeout(10_000);
        InputStream in = ws.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            head.append((char) b);
        }
        ws.getOutputStream().write(maskedTextFrame("40"));
        slowReaders.addLast(ws);
        slowReadersOpened.incrementAndGet();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static String request(Socket http, String method, String target, String body) throws IOException {
        write(http, method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        InputStream in = http.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (!head.toString().startsWith("HTTP/1.1 200")) {
            throw new IOException(head.substring(0, head.indexOf("\r\n")) + " " + text);
        }
        return text;
    }

    private static String sid(String open) {
        int start = open.indexOf("\"sid\":\"") + 7;
        return open.substring(start, open.indexOf('"', start));
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A client-to-server text frame, masked as RFC 6455 requires. */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
