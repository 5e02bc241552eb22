package io.socketfleet.bench;

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
            try (BenchRedis redis = new BenchRedis(); LoadClient load = new LoadClient(2)) {
                for (int i = 0; i < NODES; i++) {
                    servers.add(ServerProcess.start(kind, Repo.freePort(), redis.url(), BenchRedis.PASSWORD));
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
