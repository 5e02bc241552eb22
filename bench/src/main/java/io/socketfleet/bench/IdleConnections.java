package io.socketfleet.bench;

import io.socketfleet.contract.NodeJvm;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 1: many idle websocket clients heartbeating; memory per connection and time to connect.
 * socket-node runs with the JVM flags a node is launched with ({@link NodeJvm#FLAGS}), as memory per
 * connection depends on them; the other JVM servers with the benchmark's.
 */
final class IdleConnections implements Scenario {

    private static ServerProcess start(ServerProcess.Kind kind) throws java.io.IOException {
        if (kind != ServerProcess.Kind.SOCKET_NODE) {
            return ServerProcess.start(kind, Repo.freePort(), null, null);
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g"));
        jvm.addAll(NodeJvm.FLAGS);
        return ServerProcess.start(kind, Repo.freePort(), null, null, jvm);
    }

    @Override
    public String name() {
        return "idle-connections";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (ServerProcess.Kind kind : settings.servers()) {
            try (ServerProcess server = start(kind);
                 LoadClient load = new LoadClient(2)) {
                Connection probe = load.connect(server.url, 1, 1).get(0);
                long heapBefore = ServerProcess.heapAfterGc(probe);
                long rssBefore = server.residentBytes();

                long started = System.nanoTime();
                List<Connection> clients = load.connect(server.url, settings.idleClients(), 256);
                double connectSeconds = (System.nanoTime() - started) / 1e9;
                // Hold long enough for two heartbeats, then measure.
                Thread.sleep(2L * ServerProcess.PING_INTERVAL_MS + 1000);
                long alive = clients.stream().filter(c -> c.channel.isActive()).count();
                long heapAfter = ServerProcess.heapAfterGc(probe);
                long rssAfter = server.residentBytes();
                int n = settings.idleClients();

                results.add(name(), "java", "connect time", "s", kind.label, connectSeconds, false);
                results.add(name(), "java", "connections/s while connecting", "conn/s", kind.label, n / connectSeconds, true);
                results.add(name(), "java", "heap per connection", "bytes", kind.label, (heapAfter - heapBefore) / (double) n, false);
                results.add(name(), "java", "RSS per connection", "bytes", kind.label, (rssAfter - rssBefore) / (double) n, false);
                results.add(name(), "java", "alive after heartbeats", "clients", kind.label, alive, true);
                LoadClient.closeAll(clients);
            }
        }
    }
}
