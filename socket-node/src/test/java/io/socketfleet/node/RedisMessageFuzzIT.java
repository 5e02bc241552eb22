package io.socketfleet.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.socketfleet.node.adapter.AdapterMessageCodec;
import io.socketfleet.node.adapter.BroadcastOptions;
import io.socketfleet.node.adapter.BroadcastPacket;
import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.NodeMemory;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated adapter messages published on a real Redis to a live node: after each,
 * a broadcast from another node still reaches the node's client, the subscription never had
 * to restart, nothing escapes, and the heap stays bounded.
 */
class RedisMessageFuzzIT {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final AtomicInteger ROUND = new AtomicInteger();

    private static EscapedExceptions escaped;
    private static RedisServer redis;
    private static SocketNode sender;
    private static SocketNode receiver;
    private static RawWebSocket client;
    private static Jedis publisher;
    private static long heapBefore;

    @BeforeContainer
    static void start() throws Exception {
        escaped = EscapedExceptions.watch();
        redis = new RedisServer();
        sender = node("sender");
        receiver = node("receiver");
        await().atMost(Duration.ofSeconds(30)).until(() -> sender.broker().orElseThrow().isUp()
                && receiver.broker().orElseThrow().isUp());
        client = RawWebSocket.open(receiver.port());
        client.connectMain();
        publisher = new Jedis(new HostAndPort("127.0.0.1", redis.port()),
                DefaultJedisClientConfig.builder().password(RedisServer.PASSWORD).build());
        heapBefore = NodeMemory.heapAfterGcBytes();
    }

    private static SocketNode node(String name) throws InterruptedException {
        return SocketNode.start(NodeConfig.localDefaults(name).withRedis(redis.url(), RedisServer.PASSWORD), TestApp::install);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            long growth = NodeMemory.heapAfterGcBytes() - heapBefore;
            System.out.printf("Redis message fuzzing: %d rounds, heap after GC grew by %s%n", ROUND.get(), NodeMemory.mib(growth));
            assertTrue(growth < 32L * 1024 * 1024, "heap grew by " + NodeMemory.mib(growth));
            assertTrue(receiver.metrics().scrape().contains("socketfleet_redis_subscriber_failures_total 0.0"),
                    "no message made the subscription restart");
        } finally {
            client.close();
            publisher.close();
            sender.close();
            receiver.close();
            redis.close();
            escaped.close();
        }
    }

    @Property
    void noMessageCutsTheNodeOff(@ForAll("messages") byte[] message, @ForAll("channels") String channel) throws Exception {
        publisher.publish(channel.getBytes(StandardCharsets.UTF_8), message);
        String marker = "round " + ROUND.incrementAndGet();
        sender.io().emit("news", marker);
        String got = client.nextStartingWith("42[\"news\",\"" + marker + "\"]", Duration.ofSeconds(30));
        assertEquals("42[\"news\",\"" + marker + "\"]", got, "the fleet still reaches the node's client");
        assertEquals(List.of(), escaped.found(), "no exception escapes");
    }

    @Provide
    Arbitrary<String> channels() {
        return Arbitraries.of("socket.io#/#", "socket.io#/#room#", "socket.io#/admin#", "socket.io#/#" + "x".repeat(20) + "#");
    }

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> valid = Combinators.combine(Arbitraries.strings().ofMaxLength(30),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(50), Arbitraries.strings().ofMaxLength(10).set().ofMaxSize(3))
                .as((text, bytes, rooms) -> {
                    ArrayNode data = NODES.arrayNode().add("fuzz").add(text).add(NODES.binaryNode(bytes));
                    return AdapterMessageCodec.encode("other-node", new BroadcastPacket("/", data),
                            new BroadcastOptions(rooms, Set.of(), false));
                });
        Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes(), Arbitraries.integers().between(0, 2)).as((bytes, at, value, kind) -> {
                    byte[] copy = bytes.clone();
                    int where = at % copy.length;
                    if (kind == 0) {
                        copy[where] = value;
                        return copy;
                    }
                    return java.util.Arrays.copyOf(copy, kind == 1 ? where : copy.length + 1);
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        Arbitrary<byte[]> deep = Arbitraries.integers().between(900, 300_000).map(depth -> {
            byte[] nested = new byte[depth + 1];
            java.util.Arrays.fill(nested, (byte) 0x91);
            nested[depth] = (byte) 0xc0;
            return nested;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, mutated), net.jqwik.api.Tuple.of(2, random),
                net.jqwik.api.Tuple.of(1, valid), net.jqwik.api.Tuple.of(1, deep));
    }
}
