package io.socketfleet.node.engineio;

import io.socketfleet.node.metrics.PerThreadCount;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node's Engine.IO sessions did since it started: sessions opened, sessions closed by
 * reason, and packets and bytes in each direction (pings and pongs included; a packet's bytes as
 * encoded on the wire). Counted on the sessions' event loops, read by whoever samples it (the admin
 * UI's dashboard charts, admin-ui's {@code aggregatedEvents}).
 */
public final class EngineTraffic {

    private final LongAdder opened = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> closed = new ConcurrentHashMap<>();
    // Bumped for every packet: per-thread cells, no compare-and-set on the write path.
    private final PerThreadCount packetsIn = new PerThreadCount();
    private final PerThreadCount packetsOut = new PerThreadCount();
    private final PerThreadCount bytesIn = new PerThreadCount();
    private final PerThreadCount bytesOut = new PerThreadCount();

    /** Totals since the node started. */
    public record Totals(long opened, Map<String, Long> closedByReason, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
    }

    void opened() {
        opened.increment();
    }

    void closed(DisconnectReason reason) {
        closed.computeIfAbsent(reason == null ? "unknown" : reason.text(), r -> new LongAdder()).increment();
    }

    void in(long bytes) {
        packetsIn.add(1);
        bytesIn.add(bytes);
    }

    void out(int packets, long bytes) {
        packetsOut.add(packets);
        bytesOut.add(bytes);
    }

    public Totals totals() {
        Map<String, Long> byReason = new TreeMap<>();
        closed.forEach((reason, count) -> byReason.put(reason, count.sum()));
        return new Totals(opened.sum(), byReason, packetsIn.sum(), packetsOut.sum(), bytesIn.sum(), bytesOut.sum());
    }
}
