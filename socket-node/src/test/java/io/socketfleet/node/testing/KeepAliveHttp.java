package io.socketfleet.node.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection driven by hand, for what the JDK client hides: many
 * requests on the same connection, a held request whose connection is cut, extra headers.
 */
public final class KeepAliveHttp implements AutoCloseable {

    /** A response as read off the wire. */
    public record Response(int status, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public KeepAliveHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a GET with these extra header lines ("Name: value") and does not wait for the answer. */
    public void sendGet(String target, String... headers) throws IOException {
        send("GET", target, "", headers);
    }

    public Response get(String target, String... headers) throws IOException {
        sendGet(target, headers);
        return read();
    }

    public Response post(String target, String body) throws IOException {
        send("POST", target, body);
        return read();
    }

    private void send(String method, String target, String body, String... headers) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ").append(content.length).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        whole.write(content);
        out.write(whole.toByteArray());
        out.flush();
    }

    /** Reads the next response (Content-Length framed, as the node always answers). */
    public Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
