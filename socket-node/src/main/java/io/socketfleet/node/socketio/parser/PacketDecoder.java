package io.socketfleet.node.socketio.parser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decodes Socket.IO packets from Engine.IO message payloads. Stateful for one connection:
 * a binary packet's header is held until all its attachments have arrived.
 */
public final class PacketDecoder {

    /** Event names an application never emits and a client may never send. */
    public static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    /** The reference parser's default bound on attachments per packet. */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;

    /** Ack ids are JavaScript numbers: integers are exact up to 2^53, so that is the largest taken. */
    public static final long MAX_ACK_ID = 1L << 53;
    private static final int MAX_ACK_ID_DIGITS = 16;

    private final int maxAttachments;
    private Pending pending;

    public PacketDecoder() {
        this(DEFAULT_MAX_ATTACHMENTS);
    }

    public PacketDecoder(int maxAttachments) {
        this.maxAttachments = maxAttachments;
    }

    private record Pending(SocketIoPacketType type, String nsp, Long id, JsonNode data,
                           int expected, List<byte[]> attachments) {
    }

    /** Decodes a text payload; empty when it is a binary header still waiting for attachments. */
    public Optional<SocketIoPacket> decode(String text) throws SocketIoProtocolException {
        if (pending != null) {
            throw new SocketIoProtocolException("got text data while reconstructing a binary packet");
        }
        return parse(text);
    }

    /** Takes one binary attachment; returns the packet once it is complete. */
    public Optional<SocketIoPacket> decode(byte[] attachment) throws SocketIoProtocolException {
        if (pending == null) {
            throw new SocketIoProtocolException("got binary data when not reconstructing a packet");
        }
        pending.attachments().add(attachment);
        if (pending.attachments().size() < pending.expected()) {
            return Optional.empty();
        }
        Pending done = pending;
        pending = null;
        JsonNode data = reconstruct(done.data(), done.attachments());
        SocketIoPacketType type = done.type() == SocketIoPacketType.BINARY_EVENT
                ? SocketIoPacketType.EVENT : SocketIoPacketType.ACK;
        return Optional.of(new SocketIoPacket(type, done.nsp(), done.id(), data));
    }

    private Optional<SocketIoPacket> parse(String text) throws SocketIoProtocolException {
        if (text.isEmpty()) {
            throw new SocketIoProtocolException("empty packet");
        }
        int i = 0;
        SocketIoPacketType type = SocketIoPacketType.ofDigit(text.charAt(i) - '0');
        if (type == null) {
            throw new SocketIoProtocolException("unknown packet type '" + text.charAt(i) + "'");
        }
        i++;

        int attachments = 0;
        if (type.isBinary()) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 3) {
                throw new SocketIoProtocolException("illegal attachments");
            }
            String count = text.substring(i, dash);
            if (!count.chars().allMatch(Character::isDigit)) {
                throw new SocketIoProtocolException("illegal attachments");
            }
            attachments = Integer.parseInt(count);
            if (attachments < 1) {
                // "450-" is no binary packet; the reference parser refuses it too.
                throw new SocketIoProtocolException("illegal attachments");
            }
            if (attachments > maxAttachments) {
                throw new SocketIoProtocolException("too many attachments: " + attachments + " > " + maxAttachments);
            }
            i = dash + 1;
        }

        String nsp = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            nsp = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }

        Long id = null;
        int idStart = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i > idStart) {
            if (i - idStart > MAX_ACK_ID_DIGITS) {
                throw new SocketIoProtocolException("ack id too long");
            }
            long value = Long.parseLong(text.substring(idStart, i));
            if (value > MAX_ACK_ID) {
                throw new SocketIoProtocolException("ack id out of range");
            }
            id = value;
        }

        JsonNode data = null;
        if (i < text.length()) {
            try {
                data = Json.MAPPER.readTree(text.substring(i));
            } catch (JsonProcessingException e) {
                throw new SocketIoProtocolException("invalid JSON payload");
            }
        }
        checkPayload(type, id, data);

        if (type.isBinary() && attachments > 0) {
            pending = new Pending(type, nsp, id, data, attachments, new ArrayList<>(attachments));
            return Optional.empty();
        }
        SocketIoPacketType plain = type == SocketIoPacketType.BINARY_EVENT ? SocketIoPacketType.EVENT
                : type == SocketIoPacketType.BINARY_ACK ? SocketIoPacketType.ACK : type;
        return Optional.of(new SocketIoPacket(plain, nsp, id, data));
    }

    private static void checkPayload(SocketIoPacketType type, Long id, JsonNode data)
            throws SocketIoProtocolException {
        switch (type) {
            case CONNECT -> {
                if (data != null && !data.isObject()) {
                    throw new SocketIoProtocolException("CONNECT payload must be an object");
                }
            }
            case DISCONNECT -> {
                if (data != null) {
                    throw new SocketIoProtocolException("DISCONNECT carries no payload");
                }
            }
            case CONNECT_ERROR -> throw new SocketIoProtocolException("a client may not send CONNECT_ERROR");
            case EVENT, BINARY_EVENT -> {
                if (data == null || !data.isArray() || data.isEmpty()) {
                    throw new SocketIoProtocolException("EVENT payload must be a non-empty array");
                }
                JsonNode name = data.get(0);
                if (!name.isTextual() && !name.isNumber()) {
                    throw new SocketIoProtocolException("event name must be a string or a number");
                }
                if (name.isTextual() && RESERVED_EVENTS.contains(name.asText())) {
                    throw new SocketIoProtocolException("reserved event name '" + name.asText() + "'");
                }
            }
            case ACK, BINARY_ACK -> {
                if (id == null) {
                    throw new SocketIoProtocolException("ACK without an id");
                }
                if (data == null || !data.isArray()) {
                    throw new SocketIoProtocolException("ACK payload must be an array");
                }
            }
        }
    }

    /**
     * Puts each attachment where its {"_placeholder":true,"num":n} stands. Only the boolean
     * true marks a placeholder, as in the reference parser: {"_placeholder":"true"} is plain data.
     */
    private static JsonNode reconstruct(JsonNode data, List<byte[]> attachments) throws SocketIoProtocolException {
        return JsonTrees.copy(data, node -> {
            if (!node.isObject() || !node.path("_placeholder").isBoolean() || !node.get("_placeholder").booleanValue()) {
                return null;
            }
            JsonNode num = node.get("num");
            if (num == null || !num.canConvertToInt() || num.asInt() < 0 || num.asInt() >= attachments.size()) {
                throw new SocketIoProtocolException("illegal attachment placeholder");
            }
            return JsonNodeFactory.instance.binaryNode(attachments.get(num.asInt()));
        });
    }
}
