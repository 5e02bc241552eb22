package io.socketfleet.node;

import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.NodeMemory;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No message on Redis, however hostile, cuts a node off the fleet, and the node says truthfully whether it is on. */
class RedisSubscriberIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private RedisServer redis;
    private SocketNode sender;
    private SocketNode receiver;
    private EscapedExceptions escaped;

    @BeforeEach
    void start() throws Exception {
        escaped = EscapedExceptions.watch();
        redis = new RedisServer();
        sender = node("sender");
        receiver = node("receiver");
        await().atMost(Duration.ofSeconds(15)).until(() -> sender.broker().orElseThrow().isUp()
                && receiver.broker().orElseThrow().isUp());
    }

    private SocketNode node(String name) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD), TestApp::install);
    }

    @AfterEach
    void stop() throws InterruptedException {
        sender.close();
        receiver.close();
        redis.close();
        escaped.close();
    }

    private void publish(String channel, byte[] message) {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build())) {
            jedis.publish(channel.getBytes(StandardCharsets.UTF_8), message);
        }
    }

    private String get(SocketNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A broadcast from the other node reaches a client of the receiver, and the receiver says it is subscribed. */
    private void fleetStillDelivers(RawWebSocket client, String text) throws Exception {
        sender.io().emit("news", text);
        assertEquals("42[\"news\",\"" + text + "\"]", client.nextStartingWith("42[\"news\"", Duration.ofSeconds(30)));
        assertTrue(get(receiver, "/metrics").contains("socketfleet_redis_connected 1.0"));
        assertEquals("ready\nredis: subscribed\n", get(receiver, "/readyz"));
    }

    @Test
    void hostileMessagesAreDroppedAndTheNodeStaysInTheFleet() throws Exception {
        byte[] deep = new byte[200_001];
        Arrays.fill(deep, (byte) 0x91); // fixarray of one element, 200,000 times: [[[[...]]]]
        deep[deep.length - 1] = (byte) 0xc0;
        List<byte[]> hostile = List.of(
                deep,
                new byte[] {(byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // array of 2^31-1 elements, none sent
                new byte[] {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // string of 2 GiB, none sent
                new byte[] {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // map of 2^31-1 entries
                new byte[] {(byte) 0xc1}, // never used
                "not msgpack at all".getBytes(StandardCharsets.UTF_8));
        try (RawWebSocket client = RawWebSocket.open(receiver.port())) {
            client.connectMain();
            fleetStillDelivers(client, "before");
            long heapBefore = NodeMemory.heapAfterGcBytes();

            for (byte[] message : hostile) {
                publish("socket.io#/#", message);
                fleetStillDelivers(client, "after a hostile message of " + message.length + " bytes");
            }
            long heapAfter = NodeMemory.heapAfterGcBytes();
            System.out.printf("hostile Redis messages: heap after GC %s -> %s%n", NodeMemory.mib(heapBefore),
                    NodeMemory.mib(heapAfter));
            assertTrue(heapAfter - heapBefore < 32L * 1024 * 1024, "heap grew by " + NodeMemory.mib(heapAfter - heapBefore));
            assertFalse(client.closedWithin(Duration.ofMillis(10)), "the client stayed connected throughout");
        }
        assertEquals(List.of(), escaped.found());
    }

    @Test
    void anErrorWhileHandlingAMessageRestartsTheSubscriberWhichSaysSoMeanwhile() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        receiver.broker().orElseThrow().addListener((channel, message) -> {
            if (channel.equals("socket.io#/poison#") && failOnce.getAndSet(false)) {
                throw new StackOverflowError("thrown by the test while a message was handled");
            }
        });
        try (RawWebSocket client = RawWebSocket.open(receiver.port())) {
            client.connectMain();
            publish("socket.io#/poison#", new byte[] {(byte) 0xc0});
            await().atMost(Duration.ofSeconds(30)).until(() -> get(receiver, "/metrics")
                    .contains("socketfleet_redis_subscriber_failures_total 1.0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.broker().orElseThrow().isUp());
            fleetStillDelivers(client, "after the restart");
        }
    }

    @Test
    void whileRedisIsAwayTheMetricAndReadyzSaySo() throws Exception {
        redis.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> get(receiver, "/metrics").contains("socketfleet_redis_connected 0.0"));
        String readyz = get(receiver, "/readyz");
        assertTrue(readyz.startsWith("ready\nredis: not subscribed ("), readyz);
        redis.start();
        // Both nodes: one whose subscriber has not resubscribed yet drops what it would publish (by design).
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.broker().orElseThrow().isUp()
                && sender.broker().orElseThrow().isUp());
        try (RawWebSocket client = RawWebSocket.open(receiver.port())) {
            client.connectMain();
            fleetStillDelivers(client, "after Redis came back");
        }
    }
}
