package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streams adapter's stored forms against what {@code @socket.io/redis-streams-adapter} 0.3.1
 * writes (the base64 values below came out of Node's msgpack encoder), and the offset order.
 */
class StreamsRecoveryCodecTest {

    @Test
    void readsASessionAsTheNodeAdapterStoresIt() {
        Session session = RedisStreamsAdapter.decode("hKNzaWS0YWJjZGVmZ2hpajAxMjM0NTY3ODmjcGlktHBpZHBpZHBpZHBpZHBpZHBpZHBp"
                + "pXJvb21zkrRhYmNkZWZnaGlqMDEyMzQ1Njc4OaJyMaRkYXRhg6RuYW1lpWFsaWNloW4Do2JpbsQCAQI=");

        assertEquals("abcdefghij0123456789", session.sid());
        assertEquals("pidpidpidpidpidpidpi", session.pid());
        assertEquals(List.of("abcdefghij0123456789", "r1"), session.rooms());
        assertEquals("alice", session.data().get("name").asText());
        assertEquals(3, session.data().get("n").asInt());
        assertTrue(session.data().get("bin").isBinary());
    }

    @Test
    void aSessionRoundTrips() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("name", "bob");
        data.put("bytes", new byte[] {1, 2, 3});
        Session session = new Session("s".repeat(20), "p".repeat(20), List.of("s".repeat(20), "lobby"), data);

        assertEquals(session, RedisStreamsAdapter.decode(RedisStreamsAdapter.encode(session)));
    }

    @Test
    void readsBroadcastEntriesAsTheNodeAdapterWritesThem() throws Exception {
        ClusterMessage json = RedisStreamsAdapter.message(Map.of("uid", "node1", "nsp", "/", "type", "3",
                "data", "{\"packet\":{\"type\":2,\"data\":[\"msg\",7],\"nsp\":\"/\"},\"opts\":{\"rooms\":[\"r1\"],\"except\":[\"x\"],\"flags\":{}}}"));
        ClusterMessage.Broadcast b = assertInstanceOf(ClusterMessage.Broadcast.class, json.body());
        assertEquals("[\"msg\",7]", b.packet().data().toString());
        assertEquals(Set.of("r1"), b.opts().rooms());
        assertEquals(Set.of("x"), b.opts().except());

        ClusterMessage binary = RedisStreamsAdapter.message(Map.of("uid", "node1", "nsp", "/", "type", "3",
                "data", "gqZwYWNrZXSDpHR5cGUCpGRhdGGTo21zZwfEAQmjbnNwoS+kb3B0c4Olcm9vbXORonIxpmV4Y2VwdJClZmxhZ3OA"));
        ClusterMessage.Broadcast withBinary = assertInstanceOf(ClusterMessage.Broadcast.class, binary.body());
        assertArrayEquals(new byte[] {9}, withBinary.packet().data().get(2).binaryValue());
    }

    @Test
    void writtenEntriesReadBackAndBinaryGoesAsBase64Msgpack() throws Exception {
        var data = JsonNodeFactory.instance.arrayNode().add("msg").add(JsonNodeFactory.instance.binaryNode(new byte[] {4, 5}));
        ClusterMessage message = new ClusterMessage("me", "/chat", new ClusterMessage.Broadcast(new BroadcastPacket("/chat", data),
                ClusterMessage.Options.of(new BroadcastOptions(Set.of("r"), Set.of(), false)), null));
        Map<String, String> fields = RedisStreamsAdapter.fields(message);

        assertEquals("3", fields.get("type"));
        assertFalse(fields.get("data").startsWith("{"), "binary data goes as base64 msgpack");
        ClusterMessage.Broadcast read = (ClusterMessage.Broadcast) RedisStreamsAdapter.message(fields).body();
        assertArrayEquals(new byte[] {4, 5}, read.packet().data().get(1).binaryValue());
        assertEquals(Set.of("r"), read.opts().rooms());
    }

    @Test
    void offsetsOrderAsStreamIds() {
        assertTrue(Offsets.compare("1700000000000-2", "1700000000000-10") < 0, "the sequence is a number, not text");
        assertTrue(Offsets.compare("1700000000001-0", "1700000000000-99") > 0);
        assertEquals(0, Offsets.compare("5-5", "5-5"));
        assertEquals("5-6", Offsets.next("5-5"));
        assertEquals("5-4", Offsets.previous("5-5"));
        assertEquals("4-18446744073709551615", Offsets.previous("5-0"));
        assertTrue(Offsets.valid("1700000000000-0"));
        assertFalse(Offsets.valid("hello"), "socket.io-client hands back whatever string an event ended with");
        assertFalse(Offsets.valid("1-2-3"));
    }
}
