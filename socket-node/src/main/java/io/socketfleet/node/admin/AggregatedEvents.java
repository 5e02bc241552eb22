package io.socketfleet.node.admin;

import io.socketfleet.node.engineio.EngineTraffic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * admin-ui's {@code aggregatedEvents} for this node: per second, the Engine.IO connections opened
 * ({@code rawConnection}), closed by reason ({@code rawDisconnection}), and packets and bytes in and
 * out — the figures the UI's dashboard charts draw. Each node sends its own with its
 * {@code server_stats}; the UI adds up those of every server, so the charts show the fleet.
 * Built from samples of the node's running totals; only the sampling thread touches it.
 */
final class AggregatedEvents {

    private final List<Map<String, Object>> buffer = new ArrayList<>();
    private EngineTraffic.Totals last;

    AggregatedEvents(EngineTraffic.Totals start) {
        this.last = start;
    }

    /** Records what happened since the previous sample, at {@code epochMillis} (rounded down to the second). */
    void sample(EngineTraffic.Totals now, long epochMillis) {
        long second = epochMillis - epochMillis % 1000;
        add(second, "rawConnection", null, now.opened() - last.opened());
        now.closedByReason().forEach((reason, count) ->
                add(second, "rawDisconnection", reason, count - last.closedByReason().getOrDefault(reason, 0L)));
        add(second, "packetsIn", null, now.packetsIn() - last.packetsIn());
        add(second, "packetsOut", null, now.packetsOut() - last.packetsOut());
        add(second, "bytesIn", null, now.bytesIn() - last.bytesIn());
        add(second, "bytesOut", null, now.bytesOut() - last.bytesOut());
        last = now;
    }

    /** What was recorded since the last call, in admin-ui's {@code {timestamp, type, subType, count}} shape. */
    List<Map<String, Object>> drain() {
        List<Map<String, Object>> values = List.copyOf(buffer);
        buffer.clear();
        return values;
    }

    private void add(long timestamp, String type, String subType, long count) {
        if (count <= 0) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("timestamp", timestamp);
        event.put("type", type);
        if (subType != null) {
            event.put("subType", subType);
        }
        event.put("count", count);
        buffer.add(event);
    }
}
