package io.socketfleet.bench;

import io.socketfleet.operator.local.LocalRedis;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Scenario 3: three nodes on one Redis, clients spread over them, broadcasts from one node. */
final class ClusterBroadcast implements Scenario {

    private static final int NODES = 3;

    @Override
    public String name() {
        return "cross-node-broadcast";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        // netty-socketio clusters through Redisson rather than the socket.io Redis adapter: not compared here.
        for (ServerProcess.Kind kind : List.of(ServerProcess.Kind.SOCKET_NODE, ServerProcess.Kind.NODE_SOCKET_IO)) {
            List<ServerProcess> servers = new ArrayList<>();
            try (LocalRedis redis = new LocalRedis(Files.createTempDirectory("bench-redis"), new PrintStream(OutputStream.nullOutputStream()));
                 LoadClient load = new LoadClient(2)) {
                for (int i = 0; i < NODES; i++) {
                    servers.add(ServerProcess.start(kind, Repo.freePort(), redis.url(), redis.password()));
                }
                Thread.sleep(1000); // subscriptions settle
                List<Connection> clients = new ArrayList<>();
                for (ServerProcess server : servers) {
                    clients.addAll(load.connect(server.url, settings.clusterClients() / NODES, 128));
                }
                Broadcasts.Outcome outcome = Broadcasts.measure(clients.get(0), clients, settings.warmup(), settings.measure());
                BroadcastFanout.record(results, name(), kind.label, outcome);
                LoadClient.closeAll(clients);
            } finally {
                for (ServerProcess server : servers) {
                    server.close();
                }
            }
        }
    }
}
