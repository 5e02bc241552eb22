package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classic redis-adapter requests and responses: messages as Node's adapter 8.3 writes them
 * (JSON.stringify, and notepack for the two that may carry binary), round trips of what a
 * socket-node writes, and what is ignored or refused.
 */
class ClassicRequestCodecTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static ClusterRequest request(String message) {
        return request(utf8(message));
    }

    private static ClusterRequest request(byte[] message) {
        ClassicRequestCodec.Received received = ClassicRequestCodec.decodeRequest(message).orElseThrow();
        assertEquals("abc123", received.uid());
        return received.request();
    }

    @Test
    void readsNodesJsonRequests() {
        assertEquals(new ClusterRequest.FetchSockets("r1", new BroadcastOptions(Set.of("vip"), Set.of("x"), true)),
                request("{\"uid\":\"abc123\",\"requestId\":\"r1\",\"type\":5,\"opts\":{\"rooms\":[\"vip\"],\"except\":[\"x\"]}}"));
        assertEquals(new ClusterRequest.SocketsJoin(new BroadcastOptions(Set.of(), Set.of(), true), Set.of("gold")),
                request("{\"uid\":\"abc123\",\"type\":2,\"opts\":{\"rooms\":[],\"except\":[]},\"rooms\":[\"gold\"]}"));
        assertEquals(new ClusterRequest.SocketsLeave(new BroadcastOptions(Set.of("a"), Set.of(), true), Set.of("b")),
                request("{\"uid\":\"abc123\",\"type\":3,\"opts\":{\"rooms\":[\"a\"],\"except\":[]},\"rooms\":[\"b\"]}"));
        assertEquals(new ClusterRequest.DisconnectSockets(new BroadcastOptions(Set.of("a"), Set.of(), true), true),
                request("{\"uid\":\"abc123\",\"type\":4,\"opts\":{\"rooms\":[\"a\"],\"except\":[]},\"close\":true}"));
        assertEquals(new ClusterRequest.ServerSideEmit(null, NODES.arrayNode().add("note").add(1)),
                request("{\"uid\":\"abc123\",\"type\":6,\"data\":[\"note\",1]}"));
        assertEquals(new ClusterRequest.ServerSideEmit("r2", NODES.arrayNode().add("ping")),
                request("{\"uid\":\"abc123\",\"requestId\":\"r2\",\"type\":6,\"data\":[\"ping\"]}"));
        assertEquals(new ClusterRequest.ListRooms("r3"), request("{\"uid\":\"abc123\",\"requestId\":\"r3\",\"type\":1}"));
        assertEquals(new ClusterRequest.ListSocketIds("r4", Set.of("vip")),
                request("{\"uid\":\"abc123\",\"requestId\":\"r4\",\"type\":0,\"rooms\":[\"vip\"]}"));
    }

    @Test
    void readsNodesMsgpackBroadcastWithAcksBinaryIncluded() {
        // notepack.encode({uid, requestId, type: 7, packet: {type: 2, data: ['question', 'who?', Buffer [1, 2]], nsp: '/', id: 7},
        //                  opts: {rooms: ['r1'], except: ['x'], flags: {timeout: 3000}}})
        byte[] message = HexFormat.of().parseHex("85a3756964a6616263313233a9726571756573744964a6726571303031a474797065"
                + "07a67061636b657484a47479706502a46461746193a87175657374696f6ea477686f3fc4020102a36e7370a12fa2696407a46f"
                + "70747383a5726f6f6d7391a27231a665786365707491a178a5666c61677381a774696d656f7574cd0bb8");
        ClusterRequest.BroadcastWithAck broadcast = (ClusterRequest.BroadcastWithAck) request(message);
        assertEquals("req001", broadcast.requestId());
        assertEquals(Duration.ofMillis(3000), broadcast.timeout());
        assertEquals(new BroadcastOptions(Set.of("r1"), Set.of("x"), true), broadcast.target());
        assertEquals("/", broadcast.packet().nsp());
        assertEquals("question", broadcast.packet().data().get(0).asText());
        assertArrayEquals(new byte[] {1, 2}, binary(broadcast.packet().data().get(2)));
    }

    @Test
    void aBroadcastWithAcksKeepsItsVolatileAndCompressFlagsBothWays() {
        // notepack.encode({uid, requestId, type: 7, packet: {type: 2, data: ['question'], nsp: '/', id: 8},
        //                  opts: {rooms: [], except: [], flags: {volatile: true, compress: false, timeout: 3000}}})
        byte[] fromNode = HexFormat.of().parseHex("85a3756964a6616263313233a9726571756573744964a6726571303032a47479706507"
                + "a67061636b657484a47479706502a46461746191a87175657374696f6ea36e7370a12fa2696408a46f70747383a5726f6f6d739"
                + "0a665786365707490a5666c61677383a8766f6c6174696c65c3a8636f6d7072657373c2a774696d656f7574cd0bb8");
        PacketFlags flags = PacketFlags.DEFAULT.asVolatile().withCompress(false);
        ClusterRequest.BroadcastWithAck read = (ClusterRequest.BroadcastWithAck) request(fromNode);
        assertEquals(new BroadcastOptions(Set.of(), Set.of(), true, flags), read.target());

        ClusterRequest.BroadcastWithAck written = new ClusterRequest.BroadcastWithAck("req003",
                new BroadcastPacket("/", NODES.arrayNode().add("question")), new BroadcastOptions(Set.of(), Set.of(), true, flags),
                Duration.ofSeconds(3));
        ClusterRequest.BroadcastWithAck again = (ClusterRequest.BroadcastWithAck) request(
                ClassicRequestCodec.encodeRequest("abc123", written));
        assertEquals(flags, again.target().flags(), "a socket-node sends the flags as Node does");
        assertEquals(PacketFlags.DEFAULT, ((ClusterRequest.BroadcastWithAck) request(ClassicRequestCodec.encodeRequest("abc123",
                new ClusterRequest.BroadcastWithAck("req004", written.packet(), new BroadcastOptions(Set.of(), Set.of(), true),
                        Duration.ofSeconds(3))))).target().flags());
    }

    @Test
    void readsNodesResponses() {
        ClusterReply fetched = reply("{\"requestId\":\"r1\",\"sockets\":[{\"id\":\"s1\",\"handshake\":{\"address\":\"::1\"},"
                + "\"rooms\":[\"s1\",\"vip\"],\"data\":{\"user\":\"u\"}}]}");
        assertEquals(new ClusterReply.SocketsFetched("r1", List.of(new SocketDetails("s1",
                NODES.objectNode().put("address", "::1"), Set.of("s1", "vip"), NODES.objectNode().put("user", "u")))), fetched);
        assertEquals(new ClusterReply.SocketsFetched("r1", List.of()), reply("{\"requestId\":\"r1\",\"sockets\":[]}"));
        assertEquals(new ClusterReply.ServerSideEmitted("r2", TextNode.valueOf("pong")),
                reply("{\"type\":6,\"requestId\":\"r2\",\"data\":\"pong\"}"));
        assertEquals(new ClusterReply.ServerSideEmitted("r2", NODES.nullNode()), reply("{\"type\":6,\"requestId\":\"r2\"}"),
                "an ack with no argument: JSON.stringify leaves out undefined");
        assertEquals(new ClusterReply.ClientCount("r3", 4), reply("{\"type\":8,\"requestId\":\"r3\",\"clientCount\":4}"));
        assertEquals(new ClusterReply.RoomsListed("r4", Set.of("a", "b")), reply("{\"requestId\":\"r4\",\"rooms\":[\"a\",\"b\"]}"));
        assertEquals(new ClusterReply.SocketIdsListed("r5", Set.of("s1")), reply("{\"requestId\":\"r5\",\"sockets\":[\"s1\"]}"));

        // notepack.encode({type: 9, requestId: 'req001', packet: {ok: true, bytes: Buffer [9]}})
        ClusterReply.ClientAck ack = (ClusterReply.ClientAck) ClassicRequestCodec.decodeReply(HexFormat.of().parseHex(
                "83a47479706509a9726571756573744964a6726571303031a67061636b657482a26f6bc3a56279746573c40109")).orElseThrow();
        assertEquals("req001", ack.requestId());
        assertTrue(ack.value().get("ok").asBoolean());
        assertArrayEquals(new byte[] {9}, binary(ack.value().get("bytes")));
    }

    private static ClusterReply reply(String json) {
        return ClassicRequestCodec.decodeReply(utf8(json)).orElseThrow();
    }

    @Test
    void whatASocketNodeWritesReadsBackTheSame() {
        BroadcastOptions target = new BroadcastOptions(Set.of("a", "b"), Set.of("c"), true);
        List<ClusterRequest> requests = List.of(
                new ClusterRequest.FetchSockets("r1", target),
                new ClusterRequest.SocketsJoin(target, Set.of("x", "y")),
                new ClusterRequest.SocketsLeave(target, Set.of("x")),
                new ClusterRequest.DisconnectSockets(target, true),
                new ClusterRequest.ServerSideEmit(null, NODES.arrayNode().add("e").add(NODES.objectNode().put("k", 1))),
                new ClusterRequest.ServerSideEmit("r2", NODES.arrayNode().add("e")),
                new ClusterRequest.BroadcastWithAck("r3", new BroadcastPacket("/chat",
                        NODES.arrayNode().add("e").add(NODES.binaryNode(new byte[] {0, (byte) 255}))), target, Duration.ofMillis(1234)),
                new ClusterRequest.ListSocketIds("r4", Set.of("a")),
                new ClusterRequest.ListRooms("r5"));
        for (ClusterRequest request : requests) {
            ClassicRequestCodec.Received back = ClassicRequestCodec.decodeRequest(
                    ClassicRequestCodec.encodeRequest("me", request)).orElseThrow();
            assertEquals("me", back.uid());
            if (request instanceof ClusterRequest.BroadcastWithAck sent) {
                ClusterRequest.BroadcastWithAck read = (ClusterRequest.BroadcastWithAck) back.request();
                assertEquals(List.of(sent.requestId(), sent.target(), sent.timeout(), sent.packet().nsp()),
                        List.of(read.requestId(), read.target(), read.timeout(), read.packet().nsp()));
                assertArrayEquals(new byte[] {0, (byte) 255}, binary(read.packet().data().get(1)));
            } else {
                assertEquals(request, back.request());
            }
        }
        List<ClusterReply> replies = List.of(
                new ClusterReply.SocketsFetched("r1", List.of(new SocketDetails("s", NODES.objectNode().put("a", 1),
                        Set.of("s", "r"), NODES.objectNode()))),
                new ClusterReply.ServerSideEmitted("r2", TextNode.valueOf("v")),
                new ClusterReply.ClientCount("r3", 0),
                new ClusterReply.ClientAck("r3", NODES.arrayNode().add(1L)), // msgpack reads whole numbers as long
                new ClusterReply.SocketIdsListed("r4", Set.of("s")),
                new ClusterReply.RoomsListed("r5", Set.of("r")));
        for (ClusterReply reply : replies) {
            assertEquals(reply, ClassicRequestCodec.decodeReply(ClassicRequestCodec.encodeReply(reply)).orElseThrow());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":99}",                     // a newer kind
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":2,\"sid\":\"s\",\"room\":\"x\"}", // per-socket join of adapters before 7.0
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":4,\"sid\":\"s\",\"close\":true}",
        "{\"uid\":\"n\",\"requestId\":\"r\"}",                                // no type
    })
    void requestsOfOtherKindsAreIgnored(String message) {
        assertEquals(Optional.empty(), ClassicRequestCodec.decodeRequest(utf8(message)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"uid\":\"n\",\"type\":5,\"opts\":{}}",                   // a fetch nobody could answer: no requestId
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":6,\"data\":[]}",  // an event without a name
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":6,\"data\":\"x\"}",
        "{\"uid\":\"n\",\"requestId\":\"r\",\"type\":7,\"packet\":{\"data\":[1]}}",
        "[\"not\",\"an\",\"object\"]",
        "{\"uid\":",
        "",
    })
    void malformedRequestsAreRefused(String message) {
        assertThrows(IllegalArgumentException.class, () -> ClassicRequestCodec.decodeRequest(utf8(message)));
    }

    @Test
    void repliesWithoutARequestIdOrOfNoUseAreIgnoredAndMalformedOnesRefused() {
        assertEquals(Optional.empty(), ClassicRequestCodec.decodeReply(utf8("{\"type\":8,\"clientCount\":1}")));
        assertEquals(Optional.empty(), ClassicRequestCodec.decodeReply(utf8("{\"requestId\":\"r\"}")),
                "the bare answer to a per-socket join of old adapters");
        assertThrows(IllegalArgumentException.class,
                () -> ClassicRequestCodec.decodeReply(utf8("{\"requestId\":\"r\",\"sockets\":[{\"rooms\":[]}]}")));
        assertThrows(IllegalArgumentException.class, () -> ClassicRequestCodec.decodeReply(new byte[] {(byte) 0xc1}));
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
