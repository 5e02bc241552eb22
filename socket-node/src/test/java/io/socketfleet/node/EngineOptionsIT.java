package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.AllowRequest.Verdict;
import io.socketfleet.node.engineio.ConnectionError;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.engineio.TransportOptions;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine options as socket.io applications set them — path, transports, allowUpgrades,
 * upgradeTimeout — and the engine's allowRequest and connection_error, through the official
 * socket.io-client over real sockets.
 */
class EngineOptionsIT {

    private static SocketNode restricted;
    private static SocketNode guarded;
    private static SocketNode quickUpgrade;
    private static SocketNode capped;
    private static final BlockingQueue<ConnectionError> errors = new LinkedBlockingQueue<>();
    private static final BlockingQueue<ConnectionError> cappedErrors = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws InterruptedException {
        EngineOptions defaults = EngineOptions.defaults();
        restricted = SocketNode.start(NodeConfig.localDefaults("restricted").withEngine(defaults.withTransport(
                TransportOptions.defaults().withPath("/rt").withTransports(List.of("websocket")))), TestApp::install);
        guarded = SocketNode.start(NodeConfig.localDefaults("guarded").withEngine(defaults.withTransport(
                TransportOptions.defaults().withAllowUpgrades(false))), node -> {
            TestApp.install(node);
            // Asynchronous, as a lookup in a store would be.
            node.engine().allowRequest(request -> CompletableFuture.supplyAsync(
                    () -> request.query().getOrDefault("token", List.of()).contains("good")
                            ? Verdict.ALLOW : Verdict.refuse("no token for you"),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
            node.engine().onConnectionError(errors::add);
        });
        quickUpgrade = SocketNode.start(NodeConfig.localDefaults("quick-upgrade")
                .withEngine(defaults.withUpgradeTimeout(Duration.ofMillis(500))), TestApp::install);
        capped = SocketNode.start(NodeConfig.localDefaults("capped").withEngine(defaults.withHandshakeLimit(1, false)),
                node -> node.engine().onConnectionError(cappedErrors::add));
    }

    @AfterAll
    static void stop() {
        restricted.close();
        guarded.close();
        quickUpgrade.close();
        capped.close();
    }

    private static String url(SocketNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    private static Map<String, Object> clientCase(String name, SocketNode node, Map<String, Object> opts) {
        return Map.of("name", name, "url", url(node), "opts", opts, "watchMs", 1500);
    }

    @Test
    void aPathAndATransportListChangeWhereAndHowClientsConnect() {
        JsonNode r = NodeScripts.scenario("server-api.js", "engineOptions", Map.of("cases", List.of(
                clientCase("websocketOnPath", restricted, Map.of("path", "/rt", "transports", List.of("websocket"))),
                clientCase("pollingOnPath", restricted, Map.of("path", "/rt", "transports", List.of("polling"))),
                clientCase("defaultPath", restricted, Map.of("transports", List.of("websocket"))))));

        assertTrue(r.at("/websocketOnPath/connected").asBoolean(), r.toString());
        assertEquals("hi", r.at("/websocketOnPath/echo").asText());
        assertFalse(r.at("/pollingOnPath/connected").asBoolean(), "polling is not offered");
        assertEquals(400, r.at("/pollingOnPath/description").asInt());
        assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", r.at("/pollingOnPath/responseText").asText());
        assertFalse(r.at("/defaultPath/connected").asBoolean(), "nothing is served at /socket.io/ any more");
    }

    @Test
    void allowRequestRefusesWithItsMessageAndConnectionErrorTellsTheApplication() throws InterruptedException {
        errors.clear();
        JsonNode r = NodeScripts.scenario("server-api.js", "engineOptions", Map.of("cases", List.of(
                clientCase("admitted", guarded, Map.of("query", Map.of("token", "good"))),
                clientCase("refusedPolling", guarded, Map.of("query", Map.of("token", "bad"), "transports", List.of("polling"))),
                clientCase("refusedWebsocket", guarded, Map.of("query", Map.of("token", "bad"), "transports", List.of("websocket"))))));

        assertTrue(r.at("/admitted/connected").asBoolean(), r.toString());
        assertEquals("[]", r.at("/admitted/upgrades").toString(), "allowUpgrades false: the session stays on polling");
        assertEquals("polling", r.at("/admitted/final").asText());
        assertEquals(403, r.at("/refusedPolling/description").asInt());
        assertEquals("{\"code\":4,\"message\":\"no token for you\"}", r.at("/refusedPolling/responseText").asText());
        assertFalse(r.at("/refusedWebsocket/connected").asBoolean());

        ConnectionError first = errors.poll(10, TimeUnit.SECONDS);
        ConnectionError second = errors.poll(10, TimeUnit.SECONDS);
        assertNotNull(second, "one connection_error per refused request");
        for (ConnectionError error : List.of(first, second)) {
            assertEquals(4, error.code());
            assertEquals("Forbidden", error.message());
            assertEquals(Map.of("message", "no token for you"), error.context());
            assertTrue(error.request().url().contains("token=bad"), error.request().url());
            assertEquals("GET", error.request().method());
        }
        assertEquals(List.of("polling", "websocket"), List.of(transportOf(first), transportOf(second)));
    }

    @Test
    void connectionErrorCarriesEngineIosCodesAndContext() throws Exception {
        errors.clear();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(guarded)
                + "/socket.io/?EIO=4&transport=carrier-pigeon")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode());
        ConnectionError unknownTransport = errors.poll(10, TimeUnit.SECONDS);
        assertNotNull(unknownTransport);
        assertEquals(0, unknownTransport.code());
        assertEquals("Transport unknown", unknownTransport.message());
        assertEquals(Map.of("transport", "carrier-pigeon"), unknownTransport.context());

        http.send(HttpRequest.newBuilder(URI.create(url(guarded) + "/socket.io/?EIO=4&transport=polling&sid=nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        ConnectionError unknownSid = errors.poll(10, TimeUnit.SECONDS);
        assertNotNull(unknownSid);
        assertEquals(1, unknownSid.code());
        assertEquals(Map.of("sid", "nope"), unknownSid.context());
    }

    @Test
    void theNodesOwnRefusalsAreConnectionErrorsToo() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest handshake = HttpRequest.newBuilder(URI.create(url(capped) + "/socket.io/?EIO=4&transport=polling")).build();
        assertEquals(200, http.send(handshake, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(429, http.send(handshake, HttpResponse.BodyHandlers.ofString()).statusCode(),
                "a second session from the address before the first joined a namespace");

        ConnectionError refused = cappedErrors.poll(10, TimeUnit.SECONDS);
        assertNotNull(refused);
        assertEquals(3, refused.code());
        assertEquals(Map.of("name", "TOO_MANY_HANDSHAKES"), refused.context());
    }

    @Test
    void anUpgradeThatNeverProbesIsDroppedAfterTheUpgradeTimeout() {
        JsonNode r = NodeScripts.scenario("server-api.js", "upgradeTimeout",
                Map.of("url", url(quickUpgrade), "host", "127.0.0.1:" + quickUpgrade.port()));

        long closedAfter = r.get("closedAfterMs").asLong();
        assertTrue(closedAfter >= 400 && closedAfter < 5000, "dropped after about 500 ms, not the default 10 s: " + closedAfter);
        assertEquals("still polling", r.get("echo").asText(), "the polling session goes on");
        assertEquals("polling", r.get("transport").asText());
    }

    private static String transportOf(ConnectionError error) {
        return error.request().query().get("transport").get(0);
    }
}
