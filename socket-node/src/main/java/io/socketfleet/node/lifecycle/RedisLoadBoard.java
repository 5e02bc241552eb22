package io.socketfleet.node.lifecycle;

import io.socketfleet.node.redis.RedisConnections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load board in the fleet's Redis: {@code {socketfleet-load}:<node>} holds a node's load with
 * a TTL, and the set {@code {socketfleet-load}:nodes} names the nodes to look for, so reading takes
 * two commands instead of a SCAN over a keyspace that also holds the adapter's sessions. The hash
 * tag keeps every key in one slot, so MGET works on a Redis Cluster too. A name whose key has
 * expired is dropped from the set by whoever reads it.
 */
public final class RedisLoadBoard implements LoadBoard {

    static final String KEY_PREFIX = "{socketfleet-load}:";
    static final String NODES = KEY_PREFIX + "nodes";

    private final RedisConnections redis;

    /** On the node's shared Redis client (it follows Sentinel failovers and cluster slots). */
    public RedisLoadBoard(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public void publish(String node, NodeLoad load, Duration ttl) {
        redis.commands().setex(KEY_PREFIX + node, Math.max(1, ttl.toSeconds()), load.encode());
        redis.commands().sadd(NODES, node);
    }

    @Override
    public Map<String, NodeLoad> readAll() {
        List<String> nodes = new ArrayList<>(redis.commands().smembers(NODES));
        Map<String, NodeLoad> loads = new TreeMap<>();
        if (nodes.isEmpty()) {
            return loads;
        }
        List<String> values = redis.commands().mget(nodes.stream().map(n -> KEY_PREFIX + n).toArray(String[]::new));
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeLoad load = NodeLoad.decode(values.get(i));
            if (load == null) {
                gone.add(nodes.get(i));
            } else {
                loads.put(nodes.get(i), load);
            }
        }
        if (!gone.isEmpty()) {
            redis.commands().srem(NODES, gone.toArray(String[]::new));
        }
        return loads;
    }

    @Override
    public void withdraw(String node) {
        redis.commands().del(KEY_PREFIX + node);
        redis.commands().srem(NODES, node);
    }

    /** The connections belong to the node, which closes them. */
    @Override
    public void close() {
    }
}
