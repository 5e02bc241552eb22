package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.demo.DemoApp;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * socket-nodes as a Redis ACL user allowed only what the pub/sub adapter uses (and, for a streams
 * fleet, what the streams adapter adds) — the {@code default} user switched off — on a real
 * redis-server: broadcasts and fleet-wide requests cross nodes (the demo's presence is one), only
 * the load board's keys are touched, anything else is refused; and a user lacking a permission the
 * adapter needs leaves the node saying so.
 */
class RedisAclIT {

    /** The least the node needs, as the README gives it (sharded mode needs more, streams {@link #STREAMS_RULES}). */
    static final List<String> FLEET_USER_RULES = List.of("on", ">fleet-password", "resetchannels",
            "&socket.io#*", "&socket.io-request#*", "&socket.io-response#*", "-@all",
            "+publish", "+subscribe", "+psubscribe", "+unsubscribe", "+punsubscribe", "+ping",
            "+client|setname",
            // The lifecycle's load board (rebalancing after a scale-up): one expiring key per node and their set.
            "~{socketfleet-load}:*", "+setex", "+sadd", "+smembers", "+mget", "+srem", "+del");

    /**
     * What the streams adapter needs on top, as the README gives it: the stream and the sessions
     * (sessions are written over only what the node wrote last, by a script), and the channels above
     * for the fleet-wide requests.
     */
    static final List<String> STREAMS_RULES = List.of("~socket.io", "~sio:session:*", "+xadd", "+xread", "+xrange",
            "+xrevrange", "+getex", "+set", "+get", "+eval");

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private RedisServer redis(List<String> fleetRules) throws Exception {
        List<String> options = new ArrayList<>(List.of("--user", "default", "off", "--user", "admin", "on", ">admin-password",
                "allkeys", "allchannels", "allcommands", "--user", "fleet"));
        options.addAll(fleetRules);
        RedisServer redis = new RedisServer(options);
        started.add(redis);
        return redis;
    }

    private SocketNode node(String name, RedisServer redis) throws Exception {
        return node(name, redis, AdapterSettings.pubSub());
    }

    private SocketNode node(String name, RedisServer redis, AdapterSettings adapter) throws Exception {
        RedisSettings asFleet = RedisSettings.of(redis.url(), "fleet-password").withUsername("fleet");
        DemoApp[] demo = new DemoApp[1];
        SocketNode node = SocketNode.start(NodeConfig.localDefaults(name).withRedis(asFleet).withAdapter(adapter), n -> {
            TestApp.install(n);
            demo[0] = DemoApp.install(n.io(), name);
        });
        started.add(node);
        started.add(demo[0]::close);
        return node;
    }

    private static Jedis as(RedisServer redis, String user, String password) {
        return new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().user(user).password(password).build());
    }

    @Test
    void theLeastPrivilegedUserCarriesTheFleet() throws Exception {
        RedisServer redis = redis(FLEET_USER_RULES);
        SocketNode a = node("acl-a", redis);
        SocketNode b = node("acl-b", redis);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.broker().orElseThrow().isUp() && b.broker().orElseThrow().isUp());

        try (RawWebSocket onB = RawWebSocket.open(b.port())) {
            onB.connectMain();
            a.io().emit("news", "as an ACL user");
            assertEquals("42[\"news\",\"as an ACL user\"]", onB.nextStartingWith("42[\"news\"", Duration.ofSeconds(30)));
            // A fleet-wide request: published on the request channel, answered on the response channel.
            assertEquals(1, a.io().fetchSockets().get(30, TimeUnit.SECONDS).size(), "the socket on node b");
        }
        try (Jedis admin = as(redis, "admin", "admin-password")) {
            // The demo's presence: a server-side emit node b answers with its count.
            assertEquals("acl-b", a.io().serverSideEmitWithAck(Duration.ofSeconds(10), "demo:presence")
                    .get(30, TimeUnit.SECONDS).values().get(0).path("node").asText());
            assertTrue(admin.aclLog().isEmpty(), "nothing the nodes did was refused: " + admin.aclLog());
        }
        try (Jedis fleet = as(redis, "fleet", "fleet-password")) {
            assertThrows(JedisDataException.class, fleet::flushAll);
            assertThrows(JedisDataException.class, () -> fleet.set("elsewhere", "x"));
            assertThrows(JedisDataException.class, () -> fleet.publish("other-app#", "x"));
        }
        assertThrows(JedisAccessControlException.class, () -> as(redis, "default", RedisServer.PASSWORD).ping());
    }

    @Test
    void theLeastPrivilegedUserCarriesAStreamsFleet() throws Exception {
        List<String> rules = new ArrayList<>(FLEET_USER_RULES);
        rules.addAll(STREAMS_RULES);
        RedisServer redis = redis(rules);
        SocketNode a = node("acl-a", redis, AdapterSettings.streams(Duration.ofMinutes(2)));
        SocketNode b = node("acl-b", redis, AdapterSettings.streams(Duration.ofMinutes(2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> a.broker().orElseThrow().isUp() && b.broker().orElseThrow().isUp()
                && a.streams().orElseThrow().isUp() && b.streams().orElseThrow().isUp());

        JsonNode session;
        String offset;
        try (RawWebSocket onB = RawWebSocket.open(b.port())) {
            // Its session is written to Redis as it connects, and kept up to date.
            session = Json.MAPPER.readTree(onB.connectMain().substring(2));
            a.io().emit("news", "on the stream");
            JsonNode news = Json.MAPPER.readTree(onB.nextStartingWith("42[\"news\"", Duration.ofSeconds(30)).substring(2));
            assertEquals("on the stream", news.get(1).asText());
            offset = news.get(2).asText();
            assertEquals(1, a.io().fetchSockets().get(30, TimeUnit.SECONDS).size(), "the socket on node b");
            a.io().socketsJoin("everyone");
            await().atMost(Duration.ofSeconds(30)).until(() -> b.io().mainNamespace().adapter().hasRoom("everyone"));
        }
        try (RawWebSocket onA = RawWebSocket.open(a.port())) {
            // Back on the other node: the session is taken from Redis and the client gets its id back.
            assertTrue(onA.next(Duration.ofSeconds(15)).startsWith("0{"));
            onA.send("40" + Json.MAPPER.writeValueAsString(Map.of("pid", session.get("pid").asText(), "offset", offset)));
            assertEquals(session.get("sid").asText(), Json.MAPPER.readTree(onA.nextNonPing(Duration.ofSeconds(15)).substring(2))
                    .get("sid").asText(), "recovered");
        }
        try (Jedis admin = as(redis, "admin", "admin-password")) {
            assertEquals("acl-b", a.io().serverSideEmitWithAck(Duration.ofSeconds(10), "demo:presence")
                    .get(30, TimeUnit.SECONDS).values().get(0).path("node").asText());
            assertTrue(admin.aclLog().isEmpty(), "nothing the nodes did was refused: " + admin.aclLog());
        }
    }

    @Test
    void aUserWithoutAPermissionTheAdapterNeedsLeavesTheNodeSayingSo() throws Exception {
        RedisServer redis = redis(FLEET_USER_RULES.stream().filter(rule -> !rule.equals("+psubscribe")).toList());
        SocketNode node = node("acl-short", redis);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.broker().orElseThrow().subscriberState().contains("NOPERM"));
        assertFalse(node.broker().orElseThrow().isUp());
        assertEquals(Optional.of(true), node.redis().map(r -> r.settings().username().equals("fleet")));
    }
}
