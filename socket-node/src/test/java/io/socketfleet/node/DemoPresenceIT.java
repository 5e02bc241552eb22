package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.demo.DemoApp;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.adapter.RedisStreams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo's presence comes from the fleet itself (a server-side emit every node answers), on a
 * real Redis with two socket-nodes, with either adapter: a client on either hears both nodes with
 * their client counts, and once a node is gone, only the one left — nothing is stored anywhere to
 * expire.
 */
class DemoPresenceIT {

    /** A socket-node running the demo, as Main runs it. */
    private static final class DemoNode implements AutoCloseable {
        private DemoApp app;
        private final SocketNode node;
        private boolean closed;

        DemoNode(String name, RedisServer redis, AdapterSettings adapter) throws InterruptedException {
            node = SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD)
                    .withAdapter(adapter), started -> app = DemoApp.install(started.io(), name));
        }

        String url() {
            return "http://127.0.0.1:" + node.port();
        }

        boolean subscribed() {
            return node.broker().orElseThrow().isUp() && node.streams().map(RedisStreams::isUp).orElse(true);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                app.close();
                node.close();
            }
        }
    }

    static Stream<AdapterSettings> adapters() {
        return Stream.of(AdapterSettings.pubSub(), AdapterSettings.streams(Duration.ofMinutes(2)));
    }

    @ParameterizedTest
    @MethodSource("adapters")
    void everyNodeOfTheFleetWithItsClientsAndNoneThatLeft(AdapterSettings adapter) throws Exception {
        try (RedisServer redis = new RedisServer()) {
            try (DemoNode one = new DemoNode("demo-1", redis, adapter); DemoNode two = new DemoNode("demo-2", redis, adapter)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> one.subscribed() && two.subscribed());
                String urlOne = one.url();
                String urlTwo = two.url();

                JsonNode both = NodeScripts.scenario("presence", Map.of("urls", List.of(urlOne, urlTwo), "perUrl", 2,
                        "nodes", 2, "clients", 4));
                assertEquals("{\"nodes\":[{\"clients\":2,\"node\":\"demo-1\"},{\"clients\":2,\"node\":\"demo-2\"}],"
                        + "\"self\":\"demo-1\"}", sorted(both));

                two.close();
                JsonNode alone = NodeScripts.scenario("presence", Map.of("urls", List.of(urlOne), "perUrl", 3,
                        "nodes", 1, "clients", 3));
                assertEquals("{\"nodes\":[{\"clients\":3,\"node\":\"demo-1\"}],\"self\":\"demo-1\"}", sorted(alone));
            }
        }
    }

    /** The JSON with its object keys sorted, so the comparison does not depend on map order. */
    private static String sorted(JsonNode value) throws Exception {
        var mapper = io.socketfleet.node.socketio.parser.Json.MAPPER.copy()
                .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        return mapper.writeValueAsString(mapper.treeToValue(value, Object.class));
    }
}
