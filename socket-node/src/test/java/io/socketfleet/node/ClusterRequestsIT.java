package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a socket-node counts the servers that answer a fleet-wide request, on a real Redis: a
 * subscriber of the request channel that never answers (a server that got the request and
 * died, one still starting, one too old to know the request) costs the deadline and leaves the
 * other answers intact; a request of a kind a node does not know (a newer node during a
 * rolling update) is ignored and nothing else is disturbed.
 */
class ClusterRequestsIT {

    private static final String REQUESTS = "socket.io-request#/#";

    private static RedisServer redis;
    private static SocketNode one;
    private static SocketNode two;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer();
        one = SocketNode.start(NodeConfig.localDefaults("one").withRedis(redis.url(), RedisServer.PASSWORD));
        two = SocketNode.start(NodeConfig.localDefaults("two").withRedis(redis.url(), RedisServer.PASSWORD),
                node -> node.io().onServerSideEmit("ping", (args, ack) -> ack.send("pong from two")));
        await().atMost(Duration.ofSeconds(15)).until(() -> requestSubscribers() == 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        one.close();
        two.close();
        redis.close();
    }

    private static Jedis jedis() {
        Jedis jedis = new Jedis("127.0.0.1", redis.port());
        jedis.auth(RedisServer.PASSWORD);
        return jedis;
    }

    private static long requestSubscribers() {
        try (Jedis jedis = jedis()) {
            return jedis.pubsubNumSub(REQUESTS).get(REQUESTS);
        }
    }

    private static Replies<JsonNode> ping(Duration timeout) throws Exception {
        return one.io().serverSideEmitWithAck(timeout, "ping").get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyServerAnsweringCompletesTheRequest() throws Exception {
        Replies<JsonNode> replies = ping(Duration.ofSeconds(20));
        assertTrue(replies.complete());
        assertEquals(List.of("pong from two"), replies.values().stream().map(JsonNode::asText).toList());
    }

    @Test
    void aCountedServerThatNeverAnswersCostsTheDeadlineNotTheOtherAnswers() throws Exception {
        try (Jedis silent = jedis()) {
            JedisPubSub listener = new JedisPubSub() { };
            Thread thread = new Thread(() -> silent.subscribe(listener, REQUESTS), "silent-server");
            thread.setDaemon(true);
            thread.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> requestSubscribers() == 3);

            long started = System.nanoTime();
            Replies<JsonNode> replies = ping(Duration.ofMillis(800));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertFalse(replies.complete(), "three servers got it, one never answers");
            assertEquals(List.of("pong from two"), replies.values().stream().map(JsonNode::asText).toList());
            System.out.printf("a request one server never answers returned after %d ms (deadline 800 ms)%n", waitedMillis);
            listener.unsubscribe();
            thread.join(5_000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> requestSubscribers() == 2);
        assertTrue(ping(Duration.ofSeconds(20)).complete(), "with the silent one gone, all answer again");
    }

    @Test
    void requestsOfUnknownKindsAreIgnored() throws Exception {
        try (Jedis jedis = jedis()) {
            jedis.publish(REQUESTS, "{\"uid\":\"newer-node\",\"requestId\":\"r-1\",\"type\":99,\"data\":[1]}");
            jedis.publish(REQUESTS.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0x81, (byte) 0xa4, 't', 'y', 'p', 'e', 0x7f});
            jedis.publish(REQUESTS, "{\"uid\":\"old-node\",\"requestId\":\"r-2\",\"type\":2,\"sid\":\"x\",\"room\":\"r\"}");
        }
        assertTrue(ping(Duration.ofSeconds(20)).complete(), "both nodes still subscribed and answering");
        assertTrue(one.broker().orElseThrow().isUp() && two.broker().orElseThrow().isUp());
    }
}
