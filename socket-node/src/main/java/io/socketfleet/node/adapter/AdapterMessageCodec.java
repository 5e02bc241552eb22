package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The broadcast message of {@code @socket.io/redis-adapter} 8.x: a msgpack array
 * {@code [uid, {type, data, nsp}, {rooms, except, flags}]}, binary values as msgpack bin.
 */
public final class AdapterMessageCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** socket.io-parser's packet types for an event; Node publishes 2 even when the data holds binary. */
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    /** A broadcast as another node published it. */
    public record RemoteBroadcast(String uid, BroadcastPacket packet, BroadcastOptions options) {
    }

    private AdapterMessageCodec() {
    }

    public static byte[] encode(String uid, BroadcastPacket packet, BroadcastOptions options) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packArrayHeader(3);
            packer.packString(uid);
            packer.packMapHeader(3);
            packer.packString("type").packInt(EVENT);
            packer.packString("data");
            MsgpackWriter.pack(packer, packet.data());
            packer.packString("nsp").packString(packet.nsp());
            packer.packMapHeader(3);
            packer.packString("rooms");
            packStrings(packer, options.rooms());
            packer.packString("except");
            packStrings(packer, options.except());
            packFlags(packer, options.flags());
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a broadcast; throws IllegalArgumentException when the message is not one. */
    public static RemoteBroadcast decode(byte[] message) {
        JsonNode value;
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
            value = BoundedMsgpack.read(unpacker, message.length);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a msgpack message: " + e.getMessage());
        }
        if (!value.isArray() || value.size() < 2) {
            throw new IllegalArgumentException("expected [uid, packet, opts]");
        }
        String uid = value.get(0).asText();
        JsonNode packetNode = value.get(1);
        JsonNode optsNode = value.size() > 2 ? value.get(2) : NODES.objectNode();
        int type = packetNode.path("type").asInt(-1);
        if (type != EVENT && type != BINARY_EVENT) {
            throw new IllegalArgumentException("unsupported packet type " + type);
        }
        JsonNode data = packetNode.get("data");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new IllegalArgumentException("event data must be a non-empty array");
        }
        String nsp = packetNode.path("nsp").asText("/");
        BroadcastPacket packet = new BroadcastPacket(nsp, data);
        BroadcastOptions options = new BroadcastOptions(strings(optsNode.get("rooms")), strings(optsNode.get("except")),
                false, flags(optsNode.get("flags")));
        return new RemoteBroadcast(uid, packet, options);
    }

    /** Node's opts.flags holds only the flags an emit set: {@code volatile: true}, {@code compress: false}. */
    private static void packFlags(MessageBufferPacker packer, PacketFlags flags) throws IOException {
        packer.packString("flags");
        packer.packMapHeader((flags.volatilePacket() ? 1 : 0) + (flags.compress() ? 0 : 1));
        if (flags.volatilePacket()) {
            packer.packString("volatile").packBoolean(true);
        }
        if (!flags.compress()) {
            packer.packString("compress").packBoolean(false);
        }
    }

    private static PacketFlags flags(JsonNode flags) {
        if (flags == null || !flags.isObject()) {
            return PacketFlags.DEFAULT;
        }
        return new PacketFlags(flags.path("volatile").asBoolean(false), flags.path("compress").asBoolean(true));
    }

    private static void packStrings(MessageBufferPacker packer, Set<String> values) throws IOException {
        packer.packArrayHeader(values.size());
        for (String value : values) {
            packer.packString(value);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> values.add(v.asText()));
        }
        return values;
    }
}
