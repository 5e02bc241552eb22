package io.socketfleet.node;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The socket I/O Netty's event loops run on, chosen at start from the TRANSPORT setting: io_uring
 * (one {@code io_uring_enter} submits every send of a loop turn, where epoll makes one system call
 * per socket written), epoll, or the JDK's NIO. {@code auto} takes the first of io_uring, epoll,
 * nio that works here; a named one that does not work falls back the same way, and
 * {@link #fallbacks()} says why (the node logs it): container runtimes' default seccomp profile
 * refuses the io_uring system calls, so a pod gets epoll unless its profile allows them.
 */
public final class NetworkTransport {

    /** The values of the TRANSPORT setting, in the order {@code auto} tries them. */
    public enum Kind {
        IO_URING, EPOLL, NIO;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final Kind kind;
    private final List<String> fallbacks;

    private NetworkTransport(Kind kind, List<String> fallbacks) {
        this.kind = kind;
        this.fallbacks = List.copyOf(fallbacks);
    }

    /** The transport for a TRANSPORT value ({@code auto}, {@code io_uring}, {@code epoll}, {@code nio}). */
    public static NetworkTransport choose(String setting) {
        return choose(setting, NetworkTransport::unavailability);
    }

    /** As {@link #choose(String)}, with what keeps each transport from working here (null: it works). */
    static NetworkTransport choose(String setting, Function<Kind, Throwable> unavailability) {
        List<String> fallbacks = new ArrayList<>();
        Kind[] kinds = Kind.values();
        int first = setting.equals("auto") ? 0 : Kind.of(setting).ordinal();
        for (int i = first; i < kinds.length; i++) {
            Throwable unavailable = unavailability.apply(kinds[i]);
            if (unavailable == null) {
                return new NetworkTransport(kinds[i], fallbacks);
            }
            fallbacks.add(kinds[i].wireName() + " unavailable (" + unavailable + ")");
        }
        throw new IllegalStateException("no network transport works: " + fallbacks);
    }

    private static Throwable unavailability(Kind kind) {
        return switch (kind) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    public Kind kind() {
        return kind;
    }

    /** Why transports before the one chosen were passed over; empty when the first one tried works. */
    public List<String> fallbacks() {
        return fallbacks;
    }

    public IoHandlerFactory ioHandlers() {
        return switch (kind) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (kind) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** What the node logs: "io_uring", or "epoll (io_uring unavailable (…))". */
    @Override
    public String toString() {
        return fallbacks.isEmpty() ? kind.wireName() : kind.wireName() + " (" + String.join("; ", fallbacks) + ")";
    }
}
