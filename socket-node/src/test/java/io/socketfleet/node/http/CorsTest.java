package io.socketfleet.node.http;

import io.socketfleet.node.NodeConfig;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS on the Engine.IO endpoint, answered the way the cors npm package (socket.io's) answers. */
class CorsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SocketNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    private void start(List<String> origins) throws InterruptedException {
        NodeConfig config = NodeConfig.localDefaults("cors");
        node = SocketNode.start(config.withEngine(config.engine().withCorsOrigins(origins)), TestApp::install);
    }

    private HttpResponse<String> handshake(String method, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                        + "/socket.io/?EIO=4&transport=polling"))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    @Test
    void wildcardAdmitsAnyOriginButNeverWithCredentials() throws Exception {
        start(List.of("*"));
        for (String method : List.of("GET", "OPTIONS")) {
            HttpResponse<String> response = handshake(method, "https://evil.example");
            assertEquals("*", header(response, "Access-Control-Allow-Origin").orElse(null), method);
            assertEquals(Optional.empty(), header(response, "Access-Control-Allow-Credentials"),
                    method + ": a wildcard with credentials would let any site use the user's cookies");
        }
        assertTrue(handshake("GET", "https://evil.example").body().startsWith("0{\"sid\""), "the handshake itself works");
    }

    @Test
    void listedOriginIsEchoedWithCredentialsAndOthersGetNothing() throws Exception {
        start(List.of("https://app.example"));
        HttpResponse<String> allowed = handshake("OPTIONS", "https://app.example");
        assertEquals("https://app.example", header(allowed, "Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", header(allowed, "Access-Control-Allow-Credentials").orElse(null));
        assertTrue(allowed.headers().allValues("Vary").contains("Origin"), "caches must key on the Origin");
        assertEquals("content-type", header(allowed, "Access-Control-Allow-Headers").orElse(null));

        HttpResponse<String> other = handshake("GET", "https://evil.example");
        assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Origin"));
        assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Credentials"));
    }

    @Test
    void aListedOriginKeepsCredentialsNextToTheWildcard() throws Exception {
        start(List.of("*", "https://app.example"));
        assertEquals("true", header(handshake("GET", "https://app.example"), "Access-Control-Allow-Credentials").orElse(null));
        HttpResponse<String> other = handshake("GET", "https://evil.example");
        assertEquals("*", header(other, "Access-Control-Allow-Origin").orElse(null));
        assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Credentials"));
    }
}
