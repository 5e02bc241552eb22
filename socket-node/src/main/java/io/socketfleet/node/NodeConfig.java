package io.socketfleet.node;

import io.socketfleet.contract.HostPort;
import io.socketfleet.node.engineio.EngineOptions;

import java.net.URI;
import java.time.Duration;

/**
 * Everything a node is started with, immutable, filled once from flags and environment.
 *
 * @param bind             address to listen on
 * @param port             port to listen on (0 picks a free one)
 * @param nodeName         name shown to clients and in presence (the pod name in Kubernetes)
 * @param advertiseAddress where the load balancer reaches this node at; its route token prefixes session ids
 * @param redisUrl         Redis for cross-node broadcast, or null for a single node
 * @param redisPassword    overrides the password in the URL (so it can come from a Secret)
 * @param engine           Engine.IO settings
 * @param connectTimeout   time a client has to join a namespace
 * @param drainPeriod      time over which open sessions are closed on SIGTERM
 * @param demo             whether to install the demo chat/presence app
 */
public record NodeConfig(String bind, int port, String nodeName, HostPort advertiseAddress, URI redisUrl,
                         String redisPassword, EngineOptions engine, Duration connectTimeout, Duration drainPeriod,
                         boolean demo) {

    /** A single local node on a free loopback port; tests adjust from here. */
    public static NodeConfig localDefaults(String nodeName) {
        return new NodeConfig("127.0.0.1", 0, nodeName, null, null, null, EngineOptions.defaults(),
                Duration.ofSeconds(45), Duration.ofSeconds(10), false);
    }

    public NodeConfig withEngine(EngineOptions engine) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redisUrl, redisPassword, engine,
                connectTimeout, drainPeriod, demo);
    }

    public NodeConfig withRedis(URI url, String password) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, url, password, engine, connectTimeout,
                drainPeriod, demo);
    }

    public NodeConfig withConnectTimeout(Duration timeout) {
        return new NodeConfig(bind, port, nodeName, advertiseAddress, redisUrl, redisPassword, engine, timeout,
                drainPeriod, demo);
    }

}
