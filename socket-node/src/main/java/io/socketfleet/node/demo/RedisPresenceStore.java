package io.socketfleet.node.demo;

import io.socketfleet.node.redis.RedisConnections;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Presence in Redis: one expiring key per node, {@code socketfleet:{presence}:<node>} → client
 * count. The hash tag keeps every presence key in one slot, so a Redis Cluster can scan them.
 */
final class RedisPresenceStore implements PresenceStore {

    static final String KEY_PREFIX = "socketfleet:{presence}:";

    private final RedisConnections connections;

    /** Presence on the node's Redis, through its shared client. */
    RedisPresenceStore(RedisConnections connections) {
        this.connections = connections;
    }

    @Override
    public void write(String node, int clients, Duration ttl) {
        connections.commands().setex(KEY_PREFIX + node, ttl.toSeconds(), Integer.toString(clients));
    }

    @Override
    public Map<String, Integer> readAll() {
        UnifiedJedis redis = connections.commands();
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(KEY_PREFIX + "*").count(100);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        Map<String, Integer> counts = new TreeMap<>();
        if (!keys.isEmpty()) {
            List<String> values = redis.mget(keys.toArray(String[]::new));
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) != null) {
                    counts.put(keys.get(i).substring(KEY_PREFIX.length()), Integer.parseInt(values.get(i)));
                }
            }
        }
        return counts;
    }

    @Override
    public void close() {
        // The node's Redis connections are the node's to close.
    }
}
