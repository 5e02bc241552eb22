package io.socketfleet.node.socketio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A socket's data reports each change made through the map, once, with its key; what changes nothing is not reported. */
class SocketDataTest {

    private final SocketData data = new SocketData();
    private final List<String> changes = new ArrayList<>();

    SocketDataTest() {
        data.onChange(changes::add);
    }

    @Test
    void eachChangeIsReportedOnceWithItsKey() {
        data.put("name", "ada");
        data.putAll(Map.of("room", "lobby"));
        data.putIfAbsent("name", "bob");        // present: no change
        data.putIfAbsent("level", 1);
        data.replace("name", "grace");
        data.replace("name", "nobody", "x");    // wrong old value: no change
        data.compute("level", (k, v) -> 2);
        data.computeIfAbsent("level", k -> 3);  // present: no change
        data.computeIfPresent("room", (k, v) -> "hall");
        data.merge("count", 1, (a, b) -> b);
        data.entrySet().stream().filter(e -> e.getKey().equals("count")).findFirst().orElseThrow().setValue(5);
        data.remove("missing");                 // absent: no change
        data.remove("count");
        data.keySet().remove("level");
        assertEquals(List.of("name", "room", "level", "name", "level", "room", "count", "count", "count", "level"), changes);

        changes.clear();
        data.clear();
        assertEquals(2, changes.size(), "one report per key cleared: " + changes);
        assertEquals(Map.of(), data);
    }
}
