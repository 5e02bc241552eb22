package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The official socket.io-client through a node on each network transport (TRANSPORT) that works on this machine. */
class NetworkTransportIT {

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void carriesWebsocketPollingUpgradeAndBroadcasts(String name) throws InterruptedException {
        assumeTrue(!name.equals("io_uring") || IoUring.isAvailable(), "io_uring unavailable: " + IoUring.unavailabilityCause());
        assumeTrue(!name.equals("epoll") || Epoll.isAvailable(), "epoll unavailable");
        try (SocketNode node = SocketNode.start(NodeConfig.localDefaults("transport-" + name).withTransport(name), TestApp::install)) {
            String url = "http://127.0.0.1:" + node.port();
            assertEquals(name, node.transport().kind().wireName());
            for (String mode : List.of("websocket", "polling")) {
                JsonNode r = NodeScripts.scenario("basic", Map.of("url", url, "mode", mode));
                assertTrue(r.get("connected").asBoolean(), mode);
                assertEquals("{\"a\":1,\"nested\":[true,null,\"x\"]}", r.get("echoJson").toString(), mode);
                assertEquals("[1,2,3,255]", r.get("echoBinary").toString(), mode);
                assertEquals("[0,1,2,200]", r.get("serverBinary").toString(), mode);
            }
            JsonNode upgrade = NodeScripts.scenario("upgrade", Map.of("url", url));
            assertEquals("websocket", upgrade.get("final").asText());
            assertEquals("after", upgrade.get("after").asText());
            JsonNode got = NodeScripts.scenario("rooms", Map.of("urls", List.of(url), "mode", "websocket")).get("got");
            for (int i = 0; i < 3; i++) {
                assertEquals("[\"to all\"]", got.at("/" + i + "/all").toString(), "client " + i);
            }
            assertEquals("[\"from 0\"]", got.at("/1/broadcast").toString());
        }
    }
}
