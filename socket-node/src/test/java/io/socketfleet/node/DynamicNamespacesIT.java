package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.Namespace;
import io.socketfleet.node.socketio.ParentNamespace;
import io.socketfleet.node.socketio.SocketIoServer;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.ServerApiApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic namespaces (a pattern or an async filter; children inherit the parent's middleware and
 * connection handlers; parent.to/except; cleanupEmptyChildNamespaces) and async namespace middleware,
 * through the official socket.io-client.
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
        assertEquals("[[\"for members\"],[]]", r.get("parentTo").toString(), "parent.to(room) reaches the room in every child");
        assertEquals("[[],[\"for members\"]]", r.get("parentExcept").toString(), "parent.except(room) everyone else");
    }

    @Test
    void emptyChildrenAreCleanedUpWhenTheServerSaysSo() throws InterruptedException {
        try (SocketNode cleaning = SocketNode.start(NodeConfig.localDefaults("dyn-cleanup"), DynamicNamespacesIT::gameServer)) {
            JsonNode r = NodeScripts.scenario("server-api.js", "cleanupChildren",
                    Map.of("url", "http://127.0.0.1:" + cleaning.port()));

            assertEquals(1, r.get("madeA").asInt(), r.toString());
            assertEquals(1, r.get("madeB").asInt(), "the second client joined the same child");
            assertEquals("[\"/game-1\"]", r.get("childrenWithOneLeft").toString(), "a child with a socket left stays");
            assertEquals("[]", r.get("childrenWhenEmpty").toString(), "the child whose last socket left is gone");
            assertEquals(2, r.get("madeAgain").asInt(), "the next client made the child anew");
            assertEquals("[\"/game-1\"]", r.get("childrenAgain").toString());
        }
    }

    @Test
    void aClientAdmittedWhileItsChildWasForgottenJoinsTheChildMadeAnew() throws InterruptedException {
        try (SocketNode cleaning = SocketNode.start(NodeConfig.localDefaults("dyn-retire"), DynamicNamespacesIT::gameServer)) {
            JsonNode r = NodeScripts.scenario("server-api.js", "retiredWhileAdmitting",
                    Map.of("url", "http://127.0.0.1:" + cleaning.port()));

            assertEquals(2, r.get("made").asInt(), "the late client was admitted to a second /game-2: " + r);
            assertEquals("[\"/game-2\"]", r.get("children").toString(), "and that one is the parent's child");
        }
    }

    @Test
    void aCleanedUpChildStopsHearingRedisAndIsHeardAgainWhenMadeAnew() throws Exception {
        try (RedisServer redis = new RedisServer();
             SocketNode cleaning = SocketNode.start(NodeConfig.localDefaults("dyn-cleanup-redis")
                     .withRedis(redis.url(), RedisServer.PASSWORD), DynamicNamespacesIT::gameServer);
             Jedis jedis = new Jedis(redis.url().getHost(), redis.url().getPort())) {
            jedis.auth(RedisServer.PASSWORD);
            String gameRequests = "socket.io-request#/game-1#";
            await().atMost(Duration.ofSeconds(30)).until(() -> cleaning.broker().orElseThrow().isUp());
            JsonNode r = NodeScripts.scenario("server-api.js", "cleanupChildren",
                    Map.of("url", "http://127.0.0.1:" + cleaning.port()));

            assertEquals("[]", r.get("childrenWhenEmpty").toString(), r.toString());
            assertEquals("[\"/game-1\"]", r.get("childrenAgain").toString(), "made anew on Redis too");
            // The last client left again: the child's adapter unsubscribed from its request channel, as Node's does.
            await().atMost(Duration.ofSeconds(15)).until(() -> jedis.pubsubNumSub(gameRequests).get(gameRequests) == 0L);
            assertEquals(1L, jedis.pubsubNumSub("socket.io-request#/#").get("socket.io-request#/#"), "the main namespace stays");
        }
    }

    /** A dynamic namespace per game with cleanupEmptyChildNamespaces; each socket is told how many children were made so far. */
    private static void gameServer(SocketNode node) {
        SocketIoServer io = node.io().cleanupEmptyChildNamespaces(true);
        AtomicInteger made = new AtomicInteger();
        io.onNewNamespace(namespace -> made.incrementAndGet());
        ParentNamespace games = io.of(Pattern.compile("^/game-\\d+$"))
                .useAsync(socket -> socket.handshake().auth().path("slow").asBoolean()
                        ? CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS))
                        : CompletableFuture.completedFuture(null))
                .onConnection(socket -> socket.emit("made", made.get()));
        io.mainNamespace().onConnection(socket -> socket.on("children?", (args, ack) ->
                ack.send(games.children().stream().map(Namespace::name).sorted().toList())));
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
