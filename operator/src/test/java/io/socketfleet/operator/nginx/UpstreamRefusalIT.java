package io.socketfleet.operator.nginx;

import com.sun.net.httpserver.HttpServer;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.Nginx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The rendered upstream through the real nginx: a node's 503 (a drain's or a full node's refusal)
 * hands that request to the next node on the ring, and takes nothing else from the node — the very
 * next connection whose key hashes to it goes to it again. With nginx's passive health checks
 * ({@code max_fails=1}) that one 503 took the node out of the hash until a request to it ended.
 */
class UpstreamRefusalIT {

    @TempDir
    Path dir;
    private final List<HttpServer> nodes = new ArrayList<>();
    private Process nginx;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor();
        }
        nodes.forEach(node -> node.stop(0));
    }

    /** A stand-in node answering its own name, or 503 once when told to refuse. */
    private HttpServer node(String name, AtomicBoolean refuseNext) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refuseNext.getAndSet(false) ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        nodes.add(server);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A new connection as a websocket client opens it: the hash key is its Sec-WebSocket-Key. */
    private static String ask(int port, String key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: fleet\r\nSec-WebSocket-Key: " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(response.indexOf("\r\n\r\n") + 4) + " " + response.substring(9, 12);
        }
    }

    @Test
    void aRefusalIsRetriedOnTheNextNodeAndDoesNotTakeTheNodeOutOfTheHash() throws Exception {
        AtomicBoolean aRefuses = new AtomicBoolean();
        HttpServer a = node("A", aRefuses);
        HttpServer b = node("B", new AtomicBoolean());
        int port = freePort();
        String config = NginxConfig.render(Fleets.fleet("chat", "default", 2),
                List.of(Backend.parse("chat-node-a", "127.0.0.1:" + a.getAddress().getPort()),
                        Backend.parse("chat-node-b", "127.0.0.1:" + b.getAddress().getPort())),
                Nginx.runtimeIn(dir, "127.0.0.1:" + port));
        assertNull(Nginx.test(dir, config));
        Files.createDirectories(dir.resolve("logs"));
        nginx = new ProcessBuilder(Nginx.binary().toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;").redirectErrorStream(true).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> ask(port, "probe").endsWith("200"));

        String keyOfA = null;
        for (int i = 0; keyOfA == null && i < 100; i++) {
            if (ask(port, "key-" + i).equals("A 200")) {
                keyOfA = "key-" + i;
            }
        }
        aRefuses.set(true);
        assertEquals("B 200", ask(port, keyOfA), "A's 503 goes to the next node on the ring");
        assertEquals("A 200", ask(port, keyOfA), "and A still takes the connections the hash gives it");
    }
}
