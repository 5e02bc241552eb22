package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.TransportOptions;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.ServerApiApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP compression of polling responses (on by default, from 1024 bytes, as engine.io) and
 * permessage-deflate on websockets (off by default, as engine.io), with the compress flag, through
 * the official socket.io-client: its fetch transport (which sends Accept-Encoding as a browser does)
 * and its websocket transport (the ws package, which offers permessage-deflate).
 */
class CompressionIT {

    private static SocketNode plain;
    private static SocketNode deflating;

    @BeforeAll
    static void start() throws InterruptedException {
        plain = SocketNode.start(NodeConfig.localDefaults("plain"), new ServerApiApp()::install);
        deflating = SocketNode.start(NodeConfig.localDefaults("deflating").withEngine(EngineOptions.defaults()
                .withTransport(TransportOptions.defaults().withPerMessageDeflate(true))), new ServerApiApp()::install);
    }

    @AfterAll
    static void stop() {
        plain.close();
        deflating.close();
    }

    @Test
    void largePollingResponsesAreCompressedUnlessTheEmitSaysNot() {
        JsonNode r = NodeScripts.scenario("server-api.js", "httpCompression", Map.of("url", "http://127.0.0.1:" + plain.port()));

        JsonNode received = r.get("received");
        assertEquals(5004, received.get(0).asInt(), "the client decoded the payload");
        assertEquals("[\"gzip\"]", received.get(1).toString(), "a 5 KB response went gzip-encoded");
        assertEquals(5004, received.get(2).asInt());
        assertEquals("[null]", received.get(3).toString(), "compress(false): sent as it is");
        assertEquals("[null]", received.get(5).toString(), "under the 1024-byte threshold: sent as it is");
    }

    @Test
    void permessageDeflateIsOffByDefault() {
        JsonNode r = NodeScripts.scenario("server-api.js", "perMessageDeflate", Map.of("url", "http://127.0.0.1:" + plain.port()));

        assertEquals("", r.get("extensions").asText());
        assertTrue(r.get("bigReadBytes").asLong() > 5000, "sent as it is: " + r.get("bigReadBytes"));
    }

    @Test
    void permessageDeflateCompressesLargeMessagesBothWays() {
        JsonNode r = NodeScripts.scenario("server-api.js", "perMessageDeflate",
                Map.of("url", "http://127.0.0.1:" + deflating.port()));

        assertTrue(r.get("extensions").asText().startsWith("permessage-deflate"), r.toString());
        assertEquals(5004, r.get("length").asInt(), "the client inflated the message");
        assertTrue(r.get("bigReadBytes").asLong() < 1000, "5 KB of repetitive text took " + r.get("bigReadBytes") + " bytes");
        assertTrue(r.get("plainReadBytes").asLong() > 5000, "compress(false) left it as it is: " + r.get("plainReadBytes"));
        assertEquals(50000, r.get("echoedLength").asInt(), "the server inflated the client's compressed message");
    }
}
