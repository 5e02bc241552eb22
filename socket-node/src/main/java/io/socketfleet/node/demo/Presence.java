package io.socketfleet.node.demo;

import io.socketfleet.node.adapter.RedisBroker;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Fleet presence: each node writes its client count to Redis under a key that expires, so a
 * node that dies disappears by itself; any node can list them all. Without Redis only this
 * node is known.
 */
final class Presence {

    static final String KEY_PREFIX = "socketfleet:presence:";
    private static final int TTL_SECONDS = 15;

    /** One node and how many clients it holds. */
    record NodeCount(String node, int clients) {
    }

    private final String nodeName;
    private final RedisBroker broker;
    private final IntSupplier localClients;

    Presence(String nodeName, RedisBroker broker, IntSupplier localClients) {
        this.nodeName = nodeName;
        this.broker = broker;
        this.localClients = localClients;
    }

    /** Publishes this node's count and reads everyone's; falls back to this node alone if Redis is away. */
    List<NodeCount> refresh() {
        int mine = localClients.getAsInt();
        if (broker == null || !broker.isUp()) {
            return List.of(new NodeCount(nodeName, mine));
        }
        try {
            broker.commands().setex(KEY_PREFIX + nodeName, TTL_SECONDS, Integer.toString(mine));
            return readAll();
        } catch (RuntimeException e) {
            return List.of(new NodeCount(nodeName, mine));
        }
    }

    private List<NodeCount> readAll() {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(KEY_PREFIX + "*").count(100);
        do {
            ScanResult<String> page = broker.commands().scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        Map<String, Integer> counts = new TreeMap<>();
        if (!keys.isEmpty()) {
            List<String> values = broker.commands().mget(keys.toArray(String[]::new));
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) != null) {
                    counts.put(keys.get(i).substring(KEY_PREFIX.length()), Integer.parseInt(values.get(i)));
                }
            }
        }
        return counts.entrySet().stream().map(e -> new NodeCount(e.getKey(), e.getValue())).toList();
    }
}
