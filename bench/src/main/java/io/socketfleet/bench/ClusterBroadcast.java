package io.socketfleet.bench;

import io.socketfleet.operator.local.LocalRedis;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Scenario 3: three nodes on one Redis, clients spread over them, broadcasts from one node.
 * The CPU per delivery is the three servers' together (Redis's own is left out for both).
 */
final class ClusterBroadcast implements Scenario {

    private static final int NODES = 3;

    @Override
    public String name() {
        return "cross-node-broadcast";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        List<ServerProcess.Kind> kinds = settings.servers().stream().filter(k -> k.clusters).toList();
        for (Supplier<LoadGenerator> generators : settings.generators()) {
            for (ServerProcess.Kind kind : kinds) {
                List<ServerProcess> servers = new ArrayList<>();
                try (LocalRedis redis = new LocalRedis(Files.createTempDirectory("bench-redis"), new PrintStream(OutputStream.nullOutputStream()));
                     LoadGenerator load = generators.get()) {
                    for (int i = 0; i < NODES; i++) {
                        servers.add(ServerProcess.start(kind, Repo.freePort(), redis.url(), redis.password()));
                    }
                    Thread.sleep(1000); // subscriptions settle
                    load.connect(servers.stream().map(s -> s.url).toList(), settings.clusterClients());
                    Measured[] coldWarm = Measured.coldAndWarm(settings, servers, load::broadcastRounds,
                            name() + "-" + load.name() + "-" + kind.name().toLowerCase(java.util.Locale.ROOT));
                    BroadcastFanout.record(results, name(), load.name(), kind.label, coldWarm);
                } finally {
                    for (ServerProcess server : servers) {
                        server.close();
                    }
                }
            }
        }
    }
}
