package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.ServerApiApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic namespaces (a pattern or an async filter; children inherit the parent's middleware and
 * connection handlers) and async namespace middleware, through the official socket.io-client.
 */
class DynamicNamespacesIT {

    private static SocketNode node;
    private static String url;

    @BeforeAll
    static void start() throws InterruptedException {
        node = SocketNode.start(NodeConfig.localDefaults("dyn-node"), new ServerApiApp()::install);
        url = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void childrenAreCreatedOnDemandWithTheParentsMiddlewareAndHandlers() {
        JsonNode r = NodeScripts.scenario("server-api.js", "dynamicNamespaces", Map.of("url", url));

        assertEquals("/dyn-1", r.get("welcome").asText(), "the parent's first connection handler ran in the child");
        assertEquals("second", r.get("second").asText(), "and its second");
        assertEquals("no token", r.at("/refusedByInherited/message").asText(), "the parent's middleware guards the child");
        assertEquals("/dyn-2", r.at("/refusedByInherited/data/namespace").asText());
        assertEquals("Invalid namespace", r.at("/noMatch/message").asText(), "a name the pattern does not match");
        assertEquals("/async-7", r.get("asyncFilter").asText(), "a name the async filter allowed");
        assertEquals("Invalid namespace", r.at("/asyncFilterRefused/message").asText());
        assertEquals("[[\"hello children\"],[\"hello children\"]]", r.get("fromParent").toString(),
                "the parent's emit reaches every child");
        assertEquals("[\"/dyn-1\",\"/dyn-2\"]", r.get("children").toString(),
                "a refused connection still made its namespace, as in socket.io");
    }

    @Test
    void asyncMiddlewareAdmitsRefusesOrFailsLater() {
        JsonNode r = NodeScripts.scenario("server-api.js", "asyncMiddleware", Map.of("url", url));

        assertTrue(r.get("admittedMs").asLong() >= 200, "the CONNECT waited for the async middleware: " + r.get("admittedMs"));
        assertEquals("{\"checked\":\"async\",\"then\":\"sync\"}", r.get("welcome").toString(),
                "both middlewares ran, in order, before the connection handler");
        assertEquals("denied", r.at("/refused/message").asText());
        assertEquals("bad", r.at("/refused/data/token").asText());
        assertEquals("Internal error", r.at("/broken/message").asText(), "a failure other than a refusal says nothing more");
    }
}
