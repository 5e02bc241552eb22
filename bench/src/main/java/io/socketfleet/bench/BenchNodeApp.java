package io.socketfleet.bench;

import io.socketfleet.node.AdapterSettings;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.node.NodeConfig;
import io.socketfleet.node.adapter.SubscriptionMode;
import io.socketfleet.node.Main;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.engineio.EngineOptions;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.socketio.SocketIoServer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * socket-node with the benchmark's server behaviour: "echo" acknowledges its arguments,
 * "broadcast" emits "msg" to everyone in the fleet, "memory" reports the heap after a GC.
 * Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.BenchNodeApp HOST PORT PING_MS TIMEOUT_MS [REDIS_URL PASSWORD]
 */
public final class BenchNodeApp {

    /** The system property a benchmark server reads its network transport from (socket-node's TRANSPORT values). */
    static final String TRANSPORT_PROPERTY = "bench.transport";

    private BenchNodeApp() {
    }

    public static void main(String[] args) throws Exception {
        Main.quietNetty(); // as the node's own main does
        EngineOptions engine = EngineOptions.defaults()
                .withPing(Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])))
                .withMaxConnections(1_000_000);
        NodeConfig config = new NodeConfig(args[0], Integer.parseInt(args[1]), "bench-" + args[1], null,
                args.length > 4 ? RedisSettings.of(URI.create(args[4]), args.length > 5 ? args[5] : null) : null, engine,
                Duration.ofSeconds(45), Duration.ofSeconds(1), false, false, SubscriptionMode.DYNAMIC,
                // The load generator connects to each node directly: there is no balancer to hand shed clients to.
                NodeConfig.Rebalancing.OFF, null, AdapterSettings.pubSub(),
                // Each scenario warms its servers up itself (and measures the cold start with the real jar).
                Duration.ZERO, transport());
        SocketNode node = SocketNode.start(config, started -> install(started.io()));
        System.out.println("transport " + node.transport());
        System.out.println("listening");
        Thread.currentThread().join();
    }

    static String transport() {
        return System.getProperty(TRANSPORT_PROPERTY, NodeSetting.TRANSPORT.defaultValue());
    }

    static void install(SocketIoServer io) {
        io.mainNamespace().onConnection(socket -> {
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("broadcast", (args, ack) -> {
                io.emit("msg", args.get(0));
                ack.send();
            });
            socket.on("memory", (args, ack) -> ack.send(Map.of("heapUsed", heapAfterGc())));
        });
    }

    static long heapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
