package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.adapter.ClusterMessage.Broadcast;
import io.socketfleet.node.adapter.ClusterMessage.BroadcastAck;
import io.socketfleet.node.adapter.ClusterMessage.BroadcastClientCount;
import io.socketfleet.node.adapter.ClusterMessage.DisconnectSockets;
import io.socketfleet.node.adapter.ClusterMessage.FetchSockets;
import io.socketfleet.node.adapter.ClusterMessage.FetchSocketsResponse;
import io.socketfleet.node.adapter.ClusterMessage.Options;
import io.socketfleet.node.adapter.ClusterMessage.ServerSideEmit;
import io.socketfleet.node.adapter.ClusterMessage.ServerSideEmitResponse;
import io.socketfleet.node.adapter.ClusterMessage.SocketsJoin;
import io.socketfleet.node.adapter.ClusterMessage.SocketsLeave;
import io.socketfleet.node.socketio.parser.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterMessageCodecTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static Stream<ClusterMessage> everyType() {
        ObjectNode flags = NODES.objectNode().put("timeout", 5000);
        Options opts = new Options(Set.of("r1"), Set.of("x"), flags);
        SocketDetails socket = new SocketDetails("sock1", NODES.objectNode().put("url", "/socket.io/"),
                Set.of("sock1", "room"), NODES.objectNode().put("user", "ada"));
        return Stream.of(
                new ClusterMessage.InitialHeartbeat(), new ClusterMessage.Heartbeat(), new ClusterMessage.AdapterClose(),
                new Broadcast(new BroadcastPacket("/chat", Json.event("news", Map.of("a", 1))), opts, null),
                new Broadcast(new BroadcastPacket("/chat", Json.event("bin", new byte[] {1, 2})), opts, "req1"),
                new SocketsJoin(opts, List.of("a", "b")),
                new SocketsLeave(opts, List.of("a")),
                new DisconnectSockets(opts, true),
                new FetchSockets(opts, "req2"),
                new FetchSocketsResponse("req2", List.of(socket)),
                new ServerSideEmit(Json.event("hello", 1), null),
                new ServerSideEmit(Json.event("hello", new byte[] {9}), "req3"),
                new ServerSideEmitResponse("req3", NODES.textNode("pong")),
                new BroadcastClientCount("req1", 3),
                new BroadcastAck("req1", NODES.binaryNode(new byte[] {7})))
                .map(body -> new ClusterMessage("uid1", "/chat", body));
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void everyTypeRoundTrips(ClusterMessage message) {
        ClusterMessage decoded = ClusterMessageCodec.decode(ClusterMessageCodec.encode(message));
        assertSameTree(ClusterMessageCodec.tree(message), ClusterMessageCodec.tree(decoded));
        assertEquals(message.type(), decoded.type());
        assertEquals(message.body().getClass(), decoded.body().getClass());
    }

    @ParameterizedTest
    @MethodSource("everyType")
    void theDataAloneRoundTripsForTheStreamsFraming(ClusterMessage message) {
        JsonNode data = ClusterMessageCodec.data(message);
        JsonNode read = data == null ? null : ClusterMessageCodec.read(ClusterMessageCodec.hasBinary(data)
                ? ClusterMessageCodec.msgpack(data) : ClusterMessageCodec.json(data));
        ClusterMessage decoded = ClusterMessageCodec.fromParts("uid1", "/chat", message.type().code(), read);
        assertSameTree(ClusterMessageCodec.tree(message), ClusterMessageCodec.tree(decoded));
    }

    /** Equal trees, binary by content and numbers by value (msgpack reads every integer back as a long). */
    private static void assertSameTree(JsonNode expected, JsonNode actual) {
        Comparator<JsonNode> sameValue = (a, b) -> {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue());
            }
            return a.equals(b) ? 0 : 1;
        };
        assertTrue(expected.equals(sameValue, actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void jsonUnlessATypeThatMayCarryBinaryCarriesSome() {
        List<ClusterMessage> messages = everyType().toList();
        for (ClusterMessage message : messages) {
            byte[] bytes = ClusterMessageCodec.encode(message);
            boolean binary = ClusterMessageCodec.hasBinary(ClusterMessageCodec.data(message));
            assertEquals(binary, bytes[0] != '{', message.type() + " sent as " + (bytes[0] == '{' ? "JSON" : "msgpack"));
        }
    }

    /** Bytes @socket.io/redis-adapter 8.3's sharded adapter published for these messages (captured from its encode()). */
    @Test
    void readsWhatTheNodeShardedAdapterPublishes() throws Exception {
        ClusterMessage broadcast = ClusterMessageCodec.decode(("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"news\","
                + "{\"a\":1}],\"nsp\":\"/chat\"},\"opts\":{\"rooms\":[\"r1\"],\"except\":[\"x\"],\"flags\":{}}},\"uid\":\"node1\","
                + "\"nsp\":\"/chat\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals("node1", broadcast.uid());
        Broadcast b = assertInstanceOf(Broadcast.class, broadcast.body());
        assertEquals("[\"news\",{\"a\":1}]", b.packet().data().toString());
        assertEquals(Set.of("r1"), b.opts().rooms());
        assertEquals(Set.of("x"), b.opts().except());
        assertFalse(b.withAck());

        ClusterMessage binary = ClusterMessageCodec.decode(HexFormat.of().parseHex(
                "84a47479706503a46461746183a67061636b657483a47479706502a46461746192a362696ec403010203a36e7370a52f63686174"
                        + "a9726571756573744964a3616263a46f70747383a5726f6f6d7390a665786365707490a5666c61677381a774696d656f7574"
                        + "cd1388a3756964a56e6f646531a36e7370a52f63686174"));
        Broadcast acked = assertInstanceOf(Broadcast.class, binary.body());
        assertEquals("abc", acked.requestId());
        assertArrayEquals(new byte[] {1, 2, 3}, acked.packet().data().get(1).binaryValue());
        assertEquals(5000, acked.opts().flags().get("timeout").asInt());

        ClusterMessage fetched = ClusterMessageCodec.decode(("{\"type\":8,\"data\":{\"requestId\":\"r9\",\"sockets\":[{\"id\":\"s1\","
                + "\"handshake\":{\"headers\":{},\"time\":\"t\",\"address\":\"::1\",\"xdomain\":false,\"secure\":false,\"issued\":1,"
                + "\"url\":\"/socket.io/\",\"query\":{\"EIO\":\"4\"},\"auth\":{}},\"rooms\":[\"s1\",\"room\"],\"data\":{\"user\":\"u\"}}]},"
                + "\"uid\":\"node1\",\"nsp\":\"/chat\"}").getBytes(StandardCharsets.UTF_8));
        SocketDetails socket = assertInstanceOf(FetchSocketsResponse.class, fetched.body()).sockets().get(0);
        assertEquals("s1", socket.id());
        assertEquals(Set.of("s1", "room"), socket.rooms());
        assertEquals("::1", socket.handshake().get("address").asText());
        assertEquals("u", socket.data().get("user").asText());

        ClusterMessage answer = ClusterMessageCodec.decode(
                "{\"type\":10,\"data\":{\"requestId\":\"q1\",\"packet\":\"pong\"},\"uid\":\"node1\",\"nsp\":\"/chat\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals("pong", assertInstanceOf(ServerSideEmitResponse.class, answer.body()).packet().asText());
    }

    @Test
    void writesWhatTheNodeAdapterReads() {
        ClusterMessage join = new ClusterMessage("node2", "/", new SocketsJoin(
                new Options(Set.of("a"), Set.of(), null), List.of("b")));
        assertEquals("{\"uid\":\"node2\",\"nsp\":\"/\",\"type\":4,\"data\":{\"opts\":{\"rooms\":[\"a\"],\"except\":[],\"flags\":{}},"
                + "\"rooms\":[\"b\"]}}", new String(ClusterMessageCodec.encode(join), StandardCharsets.UTF_8));
        ClusterMessage heartbeat = new ClusterMessage("node2", "/", new ClusterMessage.Heartbeat());
        assertEquals("{\"uid\":\"node2\",\"nsp\":\"/\",\"type\":2}", new String(ClusterMessageCodec.encode(heartbeat), StandardCharsets.UTF_8));
    }

    @Test
    void packetFlagsTravelAsNodeSetsThem() {
        BroadcastOptions local = new BroadcastOptions(Set.of("r"), Set.of(), false, PacketFlags.DEFAULT.asVolatile().withCompress(false));
        Options opts = Options.of(local);
        assertEquals("{\"volatile\":true,\"compress\":false}", opts.flags().toString());
        assertEquals(local, opts.broadcastOptions());
        assertEquals("{}", Options.of(new BroadcastOptions(Set.of(), Set.of(), false)).flags().toString());
    }

    @Test
    void anAckWithoutArgumentReadsAsNull() {
        ClusterMessage ack = ClusterMessageCodec.decode("{\"type\":12,\"data\":{\"requestId\":\"q\"},\"uid\":\"n\",\"nsp\":\"/\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(assertInstanceOf(BroadcastAck.class, ack.body()).packet().isNull());
    }

    @Test
    void numericRoomsKeepTheirText() {
        ClusterMessage join = ClusterMessageCodec.decode(("{\"type\":4,\"data\":{\"opts\":{\"rooms\":[42],\"except\":[]},"
                + "\"rooms\":[7]},\"uid\":\"n\",\"nsp\":\"/\"}").getBytes(StandardCharsets.UTF_8));
        SocketsJoin body = assertInstanceOf(SocketsJoin.class, join.body());
        assertEquals(Set.of("42"), body.opts().rooms());
        assertEquals(List.of("7"), body.rooms());
        assertEquals(0, body.opts().flags().size());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "not msgpack"),
                Arguments.of("{", "not JSON"),
                Arguments.of("[1,2]", "a cluster message is an object"),
                Arguments.of("{\"uid\":\"n\",\"nsp\":\"/\"}", "numeric type"),
                Arguments.of("{\"type\":99,\"uid\":\"n\",\"nsp\":\"/\"}", "unknown cluster message type 99"),
                Arguments.of("{\"type\":2,\"nsp\":\"/\"}", "uid must be a string"),
                Arguments.of("{\"type\":3,\"uid\":\"n\",\"nsp\":\"/\"}", "needs a data object"),
                Arguments.of("{\"type\":3,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":1,\"data\":[\"e\"]},"
                        + "\"opts\":{\"rooms\":[],\"except\":[]}}}", "unsupported packet type 1"),
                Arguments.of("{\"type\":3,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[]},"
                        + "\"opts\":{\"rooms\":[],\"except\":[]}}}", "non-empty array"),
                Arguments.of("{\"type\":3,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[\"e\"]}}}",
                        "opts must be an object"),
                Arguments.of("{\"type\":4,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"opts\":{\"rooms\":[{}]},\"rooms\":[]}}",
                        "rooms are strings"),
                Arguments.of("{\"type\":7,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"opts\":{}}}", "requestId must be a string"),
                Arguments.of("{\"type\":8,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"requestId\":\"q\"}}", "sockets array"),
                Arguments.of("{\"type\":8,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"requestId\":\"q\",\"sockets\":[{}]}}",
                        "id must be a string"),
                Arguments.of("{\"type\":9,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"packet\":\"e\"}}", "[event, args"),
                Arguments.of("{\"type\":11,\"uid\":\"n\",\"nsp\":\"/\",\"data\":{\"requestId\":\"q\",\"clientCount\":\"x\"}}",
                        "numeric clientCount"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedMessagesSayingWhy(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterMessageCodec.decode(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aMsgpackHeaderClaimingMoreThanTheMessageHoldsIsRefused() {
        // fixmap of 1 entry whose key claims a 4 GB string
        assertThrows(IllegalArgumentException.class,
                () -> ClusterMessageCodec.decode(new byte[] {(byte) 0x81, (byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    }

    @Test
    void heartbeatsCarryNoData() {
        assertNull(ClusterMessageCodec.data(new ClusterMessage("u", "/", new ClusterMessage.Heartbeat())));
    }
}
