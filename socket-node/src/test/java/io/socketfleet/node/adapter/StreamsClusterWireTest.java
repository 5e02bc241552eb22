package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the streams adapter puts each cluster message, as {@code @socket.io/redis-streams-adapter}
 * 0.3.1 does, and the pub/sub payloads against what it publishes (the base64 values below came out
 * of Node's msgpack encoder for the object its cluster adapter builds).
 */
class StreamsClusterWireTest {

    private static final BroadcastPacket PACKET = new BroadcastPacket("/", JsonNodeFactory.instance.arrayNode().add("ev"), null);
    private static final ClusterMessage.Options TO_VIP = ClusterMessage.Options.of(
            new BroadcastOptions(Set.of("vip"), Set.of(), false));

    @Test
    void requestsThatWaitForAnswersGoByPubSubTheRestOnTheStream() {
        assertTrue(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.FetchSockets(TO_VIP, "r1")));
        assertTrue(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.ServerSideEmit(JsonNodeFactory.instance.arrayNode().add("ping"), "r1")));
        assertTrue(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.ServerSideEmit(JsonNodeFactory.instance.arrayNode().add("ping"), null)),
                "Node sends every serverSideEmit by pub/sub, with or without acks");
        assertTrue(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.Broadcast(PACKET, TO_VIP, "r1")));

        assertFalse(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.Broadcast(PACKET, TO_VIP, null)));
        assertFalse(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.SocketsJoin(TO_VIP, List.of("gold"))));
        assertFalse(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.SocketsLeave(TO_VIP, List.of("gold"))));
        assertFalse(RedisStreamsAdapter.waitsForAnswers(new ClusterMessage.DisconnectSockets(TO_VIP, true)));
    }

    @Test
    void readsTheRequestsAndAnswersNodePublishes() {
        ClusterMessage fetch = ClusterMessageCodec.decode(Base64.getDecoder().decode("hKR0eXBlB6RkYXRhgqRvcHRzg6Vyb29tc5GjdmlwpmV4Y2Vwd"
                + "JGheKVmbGFnc4GndGltZW91dM0LuKlyZXF1ZXN0SWSwMDEyMzQ1Njc4OWFiY2RlZqN1aWSwZjAwZGZlZWRiZWVmMDAwMaNuc3ChLw=="));
        assertEquals("f00dfeedbeef0001", fetch.uid());
        ClusterMessage.FetchSockets request = assertInstanceOf(ClusterMessage.FetchSockets.class, fetch.body());
        assertEquals("0123456789abcdef", request.requestId());
        assertEquals(Set.of("vip"), request.opts().rooms());
        assertEquals(Set.of("x"), request.opts().except());

        ClusterMessage answer = ClusterMessageCodec.decode(Base64.getDecoder().decode("hKR0eXBlCqRkYXRhgqlyZXF1ZXN0SWSwMDEyMzQ1Njc4O"
                + "WFiY2RlZqZwYWNrZXSCpG5vZGWhbqNnb3SiaGmjdWlksGYwMGRmZWVkYmVlZjAwMDGjbnNwoS8="));
        ClusterMessage.ServerSideEmitResponse response = assertInstanceOf(ClusterMessage.ServerSideEmitResponse.class, answer.body());
        assertEquals("{\"node\":\"n\",\"got\":\"hi\"}", response.packet().toString());
    }

    @Test
    void publishesMsgpackEvenWithoutBinaryBecauseNodeDecodesNothingElseThere() {
        ClusterMessage message = new ClusterMessage("java1", "/", new ClusterMessage.FetchSockets(TO_VIP, "r1"));
        byte[] payload = RedisStreamsAdapter.pubSubPayload(message);

        assertNotEquals('{', payload[0], "not JSON");
        assertEquals(0x84, payload[0] & 0xff, "a msgpack map of uid, nsp, type, data");
        ClusterMessage back = ClusterMessageCodec.decode(payload);
        assertEquals("java1", back.uid());
        assertEquals(message.body(), back.body());
    }
}
