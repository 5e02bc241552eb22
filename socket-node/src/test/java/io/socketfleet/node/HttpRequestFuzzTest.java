package io.socketfleet.node;

import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.NodeMemory;
import io.socketfleet.node.testing.RawHttp;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.TestApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated HTTP requests — Engine.IO handshakes, polls, upgrades, static files,
 * broken escapes, odd headers, cut-off bodies — thrown at a live node over real sockets. Each
 * must be answered or closed, no exception may escape the node, a client connected before the
 * storm must be unaffected, and memory must stay bounded.
 */
class HttpRequestFuzzTest {

    private static SocketNode node;
    private static EscapedExceptions escaped;
    private static RawWebSocket bystander;
    private static long directBefore;

    @BeforeContainer
    static void start() throws Exception {
        escaped = EscapedExceptions.watch();
        node = SocketNode.start(NodeConfig.localDefaults("fuzz"), TestApp::install);
        bystander = RawWebSocket.open(node.port());
        assertTrue(bystander.connectMain().startsWith("40{\"sid\""));
        directBefore = NodeMemory.directBytes();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            bystander.send("421[\"echo\",\"after the storm\"]");
            assertEquals("431[\"after the storm\"]", bystander.nextStartingWith("43", Duration.ofSeconds(30)),
                    "a client connected before the storm is unaffected");
            long growth = NodeMemory.directBytes() - directBefore;
            System.out.printf("HTTP fuzzing: direct memory grew by %s, %d sessions open%n", NodeMemory.mib(growth),
                    node.engine().openSessions());
            assertTrue(growth < 32L * 1024 * 1024, "direct memory grew by " + NodeMemory.mib(growth));
        } finally {
            bystander.close();
            node.close();
            escaped.close();
        }
    }

    @Property
    void wellFormedRequestsAreAnsweredAndNothingEscapes(@ForAll("requests") String request) throws Exception {
        exchange(request.getBytes(StandardCharsets.UTF_8));
    }

    @Property
    void mutatedRequestsAreAnsweredOrClosedAndNothingEscapes(@ForAll("requests") String request,
                                                            @ForAll("mutations") List<int[]> mutations) throws Exception {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        for (int[] mutation : mutations) {
            bytes = mutate(bytes, mutation);
        }
        exchange(bytes);
    }

    /**
     * Sends one request and half-closes, so a request still waiting for bytes ends too; the node
     * must answer and/or close the connection in time. Then the node must still serve others.
     */
    private static void exchange(byte[] request) throws Exception {
        try (RawHttp connection = RawHttp.open(node.port())) {
            try {
                connection.write(request);
                connection.shutdownOutput();
            } catch (IOException closedEarly) {
                // the node may already have refused and closed
            }
            assertTrue(connection.closedWithin(Duration.ofSeconds(20)), "the node answers or closes: "
                    + new String(request, StandardCharsets.ISO_8859_1));
        }
        assertEquals(List.of(), escaped.found(), "no exception escapes the node");
        try (RawHttp health = RawHttp.open(node.port())) {
            health.write(RawHttp.get("/healthz"));
            assertEquals(200, health.readResponse().status(), "the node still serves others");
        }
        assertFalse(bystander.closedWithin(Duration.ZERO), "the bystander stays connected");
    }

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "BREW", "");
        Arbitrary<String> target = Arbitraries.oneOf(engineTargets(),
                Arbitraries.of("/", "/healthz", "/readyz", "/metrics", "/socket.io/socket.io.min.js",
                        "/socket.io/socket.io.min.js.map", "/index.html", "/nothing", "*", "/%zz", "//", "/socket.io/"),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40).map(s -> "/" + s));
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "");
        Arbitrary<List<String>> headers = header().list().ofMaxSize(8);
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.of("", "40", "4hello", "42[\"echo\",1]", "1", "2", "3", "5", "6", "40\u001e42[\"x\"]", "b4AQID",
                        "451-[\"b\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID"),
                Arbitraries.strings().ofMaxLength(200));
        Arbitrary<Boolean> lengthMatchesBody = Arbitraries.of(true, true, true, false);
        return Combinators.combine(method, target, version, headers, body, lengthMatchesBody)
                .as((m, t, v, h, b, honest) -> {
                    StringBuilder request = new StringBuilder(m).append(' ').append(t).append(' ').append(v).append("\r\n");
                    request.append("Host: 127.0.0.1\r\n");
                    h.forEach(line -> request.append(line).append("\r\n"));
                    if (!b.isEmpty() || !honest) {
                        int length = b.getBytes(StandardCharsets.UTF_8).length;
                        request.append("Content-Length: ").append(honest ? length : length + 7).append("\r\n");
                    }
                    return request.append("\r\n").append(b).toString();
                });
    }

    private static Arbitrary<String> engineTargets() {
        Arbitrary<String> eio = Arbitraries.of("EIO=4", "EIO=4", "EIO=3", "EIO=", "EIO=%34", "EIO=4&EIO=3", "");
        Arbitrary<String> transport = Arbitraries.of("transport=polling", "transport=websocket", "transport=flash",
                "transport=", "transport=%zz", "");
        Arbitrary<String> sid = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(s -> "sid=" + s),
                Arbitraries.just("sid=7f000001abcd.AAAAAAAAAAAAAAAAAAAAAA"));
        Arbitrary<String> extra = Arbitraries.of("", "t=abc", "x=%zz", "%", "&&&", "b64=1", "j=0",
                "x=" + "a".repeat(3000), "a=%E0%A4%A");
        return Combinators.combine(eio, transport, sid, extra)
                .as((e, t, s, x) -> "/socket.io/?" + String.join("&", List.of(e, t, s, x)));
    }

    private static Arbitrary<String> header() {
        return Arbitraries.oneOf(
                Arbitraries.of("Upgrade: websocket", "Upgrade: WebSocket", "Upgrade: h2c", "Connection: Upgrade",
                        "Connection: keep-alive", "Connection: close", "Connection: Upgrade, keep-alive",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: short",
                        "Sec-WebSocket-Key: ", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8",
                        "Sec-WebSocket-Version: 99", "Origin: https://evil.example", "Origin: null",
                        "Transfer-Encoding: chunked", "Expect: 100-continue", "Content-Type: text/plain;charset=UTF-8",
                        "Content-Length: -1", "Content-Length: 99999999999", "Content-Length: 2", "X-Forwarded-For: ::1",
                        "Access-Control-Request-Headers: content-type", "Cookie: io=abc"),
                Combinators.combine(Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20),
                        Arbitraries.strings().ofMaxLength(60)).as((name, value) -> name.replace(":", "") + ": " + value));
    }

    /** A mutation as {kind, position, value}: flip a byte, cut the request, or insert a byte. */
    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 255)).as((kind, at, value) -> new int[] {kind, at, value})
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] mutate(byte[] bytes, int[] mutation) {
        if (bytes.length == 0) {
            return bytes;
        }
        int at = mutation[1] % bytes.length;
        return switch (mutation[0]) {
            case 0 -> {
                byte[] copy = bytes.clone();
                copy[at] = (byte) mutation[2];
                yield copy;
            }
            case 1 -> Arrays.copyOf(bytes, at);
            default -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) mutation[2];
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                yield longer;
            }
        };
    }
}
