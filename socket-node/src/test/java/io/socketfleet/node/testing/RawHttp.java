package io.socketfleet.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare TCP connection speaking HTTP/1.1 by hand, for what real clients never send: broken
 * requests, thousands of pipelined requests, websocket frames crafted byte by byte, and a
 * peer that writes but never reads.
 */
public final class RawHttp implements AutoCloseable {

    /** One response as read off the wire. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to a node on this loopback port. */
    public static RawHttp open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        return new RawHttp(socket);
    }

    /** Connects with a small receive window, so a peer that stops reading backs up the server quickly. */
    public static RawHttp openNotReading(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        return new RawHttp(socket);
    }

    /** A GET with the given extra header lines (each "Name: value"), keep-alive. */
    public static String get(String target, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A websocket upgrade of the Engine.IO endpoint, as a browser sends it. */
    public static String websocketUpgrade(String query) {
        return get("/socket.io/?EIO=4&transport=websocket" + query, "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
    }

    /** A client websocket frame (masked, with a zero mask so the payload reads as is), payload under 126 bytes. */
    public static byte[] clientFrame(int opcode, byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("payload too long for a short frame");
        }
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }

    /** One server websocket frame (never masked). */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads one websocket frame sent by the server. */
    public Frame readFrame() throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            throw new IOException("connection closed before a frame");
        }
        long length = second & 0x7f;
        if (length == 126) {
            length = ((long) readExactly(1)[0] & 0xff) << 8 | (readExactly(1)[0] & 0xff);
        } else if (length == 127) {
            length = java.nio.ByteBuffer.wrap(readExactly(8)).getLong();
        }
        return new Frame(first & 0x0f, readExactly((int) length));
    }

    /** Tells the server this side will send nothing more (a TCP half-close). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response with a Content-Length body. */
    public Response readResponse() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /** Reads until the server closes the connection or the timeout passes; returns how many bytes came. */
    public long drain(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return total;
                }
                total += n;
            } catch (SocketTimeoutException e) {
                return total;
            }
        }
        return total;
    }

    /** Reads exactly this many bytes, failing if the connection ends first. */
    public byte[] readExactly(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new IOException("connection closed after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** Whether the server closed (or reset) the connection within the timeout, discarding what it sent. */
    public boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        byte[] buffer = new byte[64 * 1024];
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
