package io.socketfleet.node.adapter;

/**
 * How a packet is written to each client (socket.io's emit flags {@code volatile} and
 * {@code compress}): a volatile packet is dropped for a client whose transport cannot take it
 * right now; {@code compress} false keeps the transport from compressing it.
 */
public record PacketFlags(boolean volatilePacket, boolean compress) {

    public static final PacketFlags DEFAULT = new PacketFlags(false, true);

    public PacketFlags asVolatile() {
        return new PacketFlags(true, compress);
    }

    public PacketFlags withCompress(boolean compress) {
        return new PacketFlags(volatilePacket, compress);
    }
}
