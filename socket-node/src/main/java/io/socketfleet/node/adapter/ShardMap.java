package io.socketfleet.node.adapter;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.util.List;

/**
 * Which Redis server owns a sharded channel: in a Redis Cluster the master of the channel's hash
 * slot (CRC16 of the name, honouring {hash tags}, as for keys), as {@code CLUSTER SHARDS} reports
 * it; on a single Redis, that server. A subscription sent anywhere else is refused with MOVED.
 */
final class ShardMap {

    private static final int SLOTS = 16384;

    private final HostAndPort[] owners;

    private ShardMap(HostAndPort[] owners) {
        this.owners = owners;
    }

    static ShardMap single(HostAndPort server) {
        HostAndPort[] owners = new HostAndPort[SLOTS];
        java.util.Arrays.fill(owners, server);
        return new ShardMap(owners);
    }

    /** The map {@code CLUSTER SHARDS} describes; slots with no healthy master map to null. */
    static ShardMap of(List<ClusterShardInfo> shards) {
        HostAndPort[] owners = new HostAndPort[SLOTS];
        for (ClusterShardInfo shard : shards) {
            HostAndPort master = null;
            for (ClusterShardNodeInfo node : shard.getNodes()) {
                if ("master".equals(node.getRole()) && !"fail".equals(node.getHealth())) {
                    String host = node.getIp() != null && !node.getIp().isEmpty() ? node.getIp() : node.getEndpoint();
                    master = new HostAndPort(host, node.getPort().intValue());
                }
            }
            for (List<Long> range : shard.getSlots()) {
                // CLUSTER SHARDS lists ranges as flat [start, end] pairs
                for (int i = 0; i + 1 < range.size(); i += 2) {
                    for (long slot = range.get(i); slot <= range.get(i + 1); slot++) {
                        owners[(int) slot] = master;
                    }
                }
            }
        }
        return new ShardMap(owners);
    }

    static int slot(String channel) {
        return JedisClusterCRC16.getSlot(channel);
    }

    /** The server to subscribe at; null while no master owns the slot. */
    HostAndPort owner(String channel) {
        return owners[slot(channel)];
    }
}
