package io.socketfleet.node.admin;

import io.socketfleet.node.engineio.EngineTraffic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** admin-ui's aggregatedEvents from samples of a node's running totals: what changed, per second, in admin-ui's shape. */
class AggregatedEventsTest {

    @Test
    void eachSampleRecordsWhatChangedSinceThePreviousOneAtItsSecond() {
        AggregatedEvents events = new AggregatedEvents(new EngineTraffic.Totals(10, Map.of("transport close", 4L), 100, 200, 1000, 2000));
        Map<String, Long> closed = new TreeMap<>(Map.of("transport close", 5L, "ping timeout", 1L)); // sorted, as totals() gives them
        events.sample(new EngineTraffic.Totals(13, closed, 103, 200, 1090, 2000), 1_700_000_000_750L);
        events.sample(new EngineTraffic.Totals(13, closed, 103, 204, 1090, 2400), 1_700_000_001_020L);

        assertEquals(List.of(
                Map.of("timestamp", 1_700_000_000_000L, "type", "rawConnection", "count", 3L),
                Map.of("timestamp", 1_700_000_000_000L, "type", "rawDisconnection", "subType", "ping timeout", "count", 1L),
                Map.of("timestamp", 1_700_000_000_000L, "type", "rawDisconnection", "subType", "transport close", "count", 1L),
                Map.of("timestamp", 1_700_000_000_000L, "type", "packetsIn", "count", 3L),
                Map.of("timestamp", 1_700_000_000_000L, "type", "bytesIn", "count", 90L),
                Map.of("timestamp", 1_700_000_001_000L, "type", "packetsOut", "count", 4L),
                Map.of("timestamp", 1_700_000_001_000L, "type", "bytesOut", "count", 400L)), events.drain());
        assertEquals(List.of(), events.drain(), "drained: sent once");
    }
}
