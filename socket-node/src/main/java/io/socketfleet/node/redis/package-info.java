/**
 * The node's way to Redis, one for every Redis user in the node (the adapters and what they
 * carry): {@code RedisSettings} says where Redis is and how to talk to it (redis:// or
 * rediss:// with a CA bundle and a client certificate, an ACL user, Sentinel, Cluster), and
 * {@code RedisConnections} turns them into Jedis clients and connections that follow the
 * topology (a Sentinel failover, the cluster's slots).
 *
 * <p>Depends on nothing of ours; the layers that use Redis are handed a {@code RedisConnections}.
 */
package io.socketfleet.node.redis;
