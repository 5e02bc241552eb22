package io.socketfleet.node.demo;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Presence in Redis: one expiring key per node, {@code socketfleet:presence:<node>} → client count. */
final class RedisPresenceStore implements PresenceStore {

    static final String KEY_PREFIX = "socketfleet:presence:";

    private final JedisPooled redis;

    /** Connects to the node's Redis; {@code password}, when given, overrides the URL's. */
    RedisPresenceStore(URI url, String password) {
        this.redis = new JedisPooled(JedisURIHelper.getHostAndPort(url), DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(url))
                .password(password != null && !password.isEmpty() ? password : JedisURIHelper.getPassword(url))
                .database(JedisURIHelper.getDBIndex(url))
                .connectionTimeoutMillis(2_000)
                .socketTimeoutMillis(2_000)
                .clientName("socketfleet-presence")
                .build());
    }

    @Override
    public void write(String node, int clients, Duration ttl) {
        redis.setex(KEY_PREFIX + node, ttl.toSeconds(), Integer.toString(clients));
    }

    @Override
    public Map<String, Integer> readAll() {
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
        redis.close();
    }
}
