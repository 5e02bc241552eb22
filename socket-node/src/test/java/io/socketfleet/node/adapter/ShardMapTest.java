package io.socketfleet.node.adapter;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ShardMapTest {

    private static ClusterShardInfo shard(List<List<Long>> slots, Map<String, Object>... nodes) {
        return new ClusterShardInfo(Map.of(ClusterShardInfo.SLOTS, slots,
                ClusterShardInfo.NODES, java.util.Arrays.stream(nodes).map(ClusterShardNodeInfo::new).toList()));
    }

    private static Map<String, Object> node(String ip, long port, String role, String health) {
        return Map.of(ClusterShardNodeInfo.IP, ip, ClusterShardNodeInfo.ENDPOINT, ip, ClusterShardNodeInfo.PORT, port,
                ClusterShardNodeInfo.ROLE, role, ClusterShardNodeInfo.HEALTH, health);
    }

    @Test
    void aChannelGoesToTheHealthyMasterOfItsSlot() {
        ShardMap map = ShardMap.of(List.of(
                shard(List.of(List.of(0L, 8191L)), node("10.0.0.1", 7000, "master", "online"),
                        node("10.0.0.4", 7003, "replica", "online")),
                shard(List.of(List.of(8192L, 12000L), List.of(12001L, 16383L)), node("10.0.0.2", 7001, "master", "online"))));
        // CRC16 slots as Redis computes them (CLUSTER KEYSLOT): "socket.io#/chat#" 2409, "socket.io#/#" 13868, "a" 15495.
        assertEquals(2409, ShardMap.slot("socket.io#/chat#"));
        assertEquals(13868, ShardMap.slot("socket.io#/#"));
        assertEquals(new HostAndPort("10.0.0.1", 7000), map.owner("socket.io#/chat#"));
        assertEquals(new HostAndPort("10.0.0.2", 7001), map.owner("socket.io#/#"));
        assertEquals(new HostAndPort("10.0.0.2", 7001), map.owner("a"));
        assertEquals(ShardMap.slot("{a}other"), ShardMap.slot("a"), "hash tags count, as for keys");
    }

    @Test
    void aSlotWithoutAHealthyMasterHasNoOwner() {
        ShardMap map = ShardMap.of(List.of(shard(List.of(List.of(0L, 16383L)), node("10.0.0.1", 7000, "master", "fail"))));
        assertNull(map.owner("socket.io#/#"));
    }

    @Test
    void oneRedisOwnsEverything() {
        HostAndPort redis = new HostAndPort("127.0.0.1", 6379);
        assertEquals(redis, ShardMap.single(redis).owner("socket.io#/#room#"));
    }
}
