package io.socketfleet.node;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.node.NetworkTransport.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetworkTransportTest {

    /** What a container's RuntimeDefault seccomp profile does to io_uring_setup. */
    private static final Throwable REFUSED = new UnsupportedOperationException("io_uring_setup: Operation not permitted");

    @Test
    void autoTakesIoUringWhereItWorks() {
        NetworkTransport transport = NetworkTransport.choose("auto", kind -> null);

        assertEquals(Kind.IO_URING, transport.kind());
        assertEquals(IoUringServerSocketChannel.class, transport.serverChannel());
        assertEquals(List.of(), transport.fallbacks());
        assertEquals("io_uring", transport.toString());
    }

    @Test
    void ioUringRefusedFallsBackToEpollAndSaysWhy() {
        for (String setting : List.of("auto", "io_uring")) {
            NetworkTransport transport = NetworkTransport.choose(setting, kind -> kind == Kind.IO_URING ? REFUSED : null);

            assertEquals(Kind.EPOLL, transport.kind(), setting);
            assertEquals(EpollServerSocketChannel.class, transport.serverChannel());
            assertEquals("epoll (io_uring unavailable (" + REFUSED + "))", transport.toString());
        }
    }

    @Test
    void withoutNativeTransportsItIsNio() {
        Map<Kind, Throwable> missing = Map.of(Kind.IO_URING, REFUSED, Kind.EPOLL, new UnsatisfiedLinkError("no epoll"));
        NetworkTransport transport = NetworkTransport.choose("auto", missing::get);

        assertEquals(Kind.NIO, transport.kind());
        assertEquals(NioServerSocketChannel.class, transport.serverChannel());
        assertEquals(2, transport.fallbacks().size());
    }

    @Test
    void aNamedTransportIsNeverUpgraded() {
        assertEquals(Kind.EPOLL, NetworkTransport.choose("epoll", kind -> null).kind());
        assertEquals(Kind.NIO, NetworkTransport.choose("nio", kind -> null).kind());
    }

    @Test
    void everyChoiceOfTheSettingIsUnderstood() {
        for (String choice : NodeSetting.TRANSPORT.choices()) {
            NetworkTransport.choose(choice, kind -> null);
        }
        assertThrows(IllegalArgumentException.class, () -> NetworkTransport.choose("kqueue", kind -> null));
    }

    @Test
    void theSettingIsReadAndReadBack() {
        NodeConfig config = NodeConfig.from(new NodeSettings(Map.of()));

        assertEquals("epoll", config.transport(), "pods get epoll unless told otherwise");
        assertEquals(config.transport(), NodeConfig.localDefaults("n").transport());
        assertEquals("io_uring", config.withTransport("io_uring").settings().text(NodeSetting.TRANSPORT));
        assertEquals("auto", NodeConfig.from(new NodeSettings(Map.of(NodeSetting.TRANSPORT, "auto"))).transport());
    }
}
