package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.ConnectionError;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.SessionCookie;
import io.socketfleet.node.engineio.TransportOptions;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine.io's HTTP-level hooks, as applications use them: {@code engine.use} middleware (annotating
 * the request a socket later sees, adding response headers, refusing a request), the {@code cookie}
 * option, and the {@code initial_headers}/{@code headers} events on polling and websocket responses.
 * Driven by the official socket.io-client (with its cookie jar) and raw requests that read the
 * response headers (src/test/js/server-api.js engineHooks).
 */
class EngineHooksIT {

    private static SocketNode node;
    /** The Cookie header of every request the headers listener saw ("" when none). */
    private static final Queue<String> requestCookies = new ConcurrentLinkedQueue<>();
    private static final Queue<ConnectionError> errors = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("hooked").withEngine(EngineOptions.defaults()
                .withTransport(TransportOptions.defaults().withCookie(SessionCookie.defaults()))), node -> {
            TestApp.install(node);
            // Asynchronous, as a session-store lookup would be.
            node.engine().use((request, responseHeaders) -> CompletableFuture.runAsync(() -> {
                if (request.query().containsKey("deny")) {
                    throw new IllegalStateException("denied by the middleware");
                }
                request.query().getOrDefault("user", List.of()).forEach(user -> request.attributes().put("user", user));
                responseHeaders.set("x-middleware", "seen");
            }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
            node.engine().onInitialHeaders((headers, request) -> headers.set("x-initial", "yes"));
            node.engine().onHeaders((headers, request) -> {
                headers.set("x-every", request.method());
                requestCookies.add(request.headers().get("cookie", ""));
            });
            node.engine().onConnectionError(errors::add);
            node.io().mainNamespace().onConnection(socket ->
                    socket.emit("whoami", String.valueOf(socket.request().attributes().get("user"))));
        });
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void middlewareCookieAndHeaderEventsAsEngineIoHasThem() {
        JsonNode r = NodeScripts.scenario("server-api.js", "engineHooks",
                Map.of("url", "http://127.0.0.1:" + node.port(), "host", "127.0.0.1:" + node.port()));

        // engine.use: the handshake's attributes reach socket.request(); a failure is a 400 MIDDLEWARE_FAILURE.
        assertEquals("ann", r.get("whoami").asText(), "what the middleware attached to the handshake request");
        assertEquals("after upgrade", r.get("echo").asText(), r.toString());
        assertEquals(400, r.at("/refused/description").asInt(), r.get("refused").toString());
        assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.at("/refused/responseText").asText());
        assertTrue(errors.stream().anyMatch(e -> e.code() == 3 && "MIDDLEWARE_FAILURE".equals(e.context().get("name"))),
                "connection_error names the middleware failure: " + errors);
        assertEquals("seen", r.at("/handshake/middleware").asText());
        assertEquals("seen", r.at("/websocket/middleware").asText(), "middleware headers reach the upgrade response too");

        // cookie: the polling handshake sets io=<sid> as engine.io 6 writes it; the official client sends it back.
        String sid = r.get("sid").asText();
        assertEquals(sid, r.at("/jar/io").asText(), "the client's cookie jar holds the session id");
        assertTrue(requestCookies.contains("io=" + sid), "later requests carried the cookie: " + requestCookies);
        assertTrue(r.at("/handshake/setCookie").asText().matches("io=[^;]+; Path=/; HttpOnly; SameSite=Lax"),
                r.at("/handshake/setCookie").asText());
        assertTrue(r.at("/poll/setCookie").isNull(), "only the handshake sets it");
        assertTrue(r.at("/websocket/setCookie").isNull(), "a session opened on a websocket gets none, as in engine.io 6.6");

        // initial_headers on the response that opens a session, headers on every polling and websocket response.
        assertEquals("yes", r.at("/handshake/initial").asText());
        assertEquals("GET", r.at("/handshake/every").asText());
        assertTrue(r.at("/poll/initial").isNull(), r.get("poll").toString());
        assertEquals("POST", r.at("/poll/every").asText());
        assertEquals("yes", r.at("/websocket/initial").asText());
        assertEquals("GET", r.at("/websocket/every").asText());
        assertTrue(r.at("/upgrade/initial").isNull(), r.get("upgrade").toString());
        assertEquals("GET", r.at("/upgrade/every").asText());
    }
}
