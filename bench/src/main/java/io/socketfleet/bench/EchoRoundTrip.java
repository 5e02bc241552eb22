package io.socketfleet.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Scenario 4: clients each doing emit-with-ack in a loop. */
final class EchoRoundTrip implements Scenario {

    @Override
    public String name() {
        return "echo-ack-round-trip";
    }

    @Override
    public void run(Settings settings, Results results) throws Exception {
        for (ServerProcess.Kind kind : ServerProcess.Kind.values()) {
            try (ServerProcess server = ServerProcess.start(kind, Repo.freePort(), null, null);
                 LoadClient load = new LoadClient(2)) {
                List<Connection> clients = load.connect(server.url, settings.echoClients(), 64);
                loop(clients, settings.warmup().toMillis(), new LatencyHistogram());
                LatencyHistogram measured = new LatencyHistogram();
                loop(clients, settings.measure().toMillis(), measured);
                results.add(name(), "round trips/s", "rt/s", kind.label, measured.count() / (settings.measure().toMillis() / 1000.0), true);
                results.add(name(), "round trip p50", "ms", kind.label, measured.percentileMillis(0.5), false);
                results.add(name(), "round trip p99", "ms", kind.label, measured.percentileMillis(0.99), false);
                LoadClient.closeAll(clients);
            }
        }
    }

    private static void loop(List<Connection> clients, long millis, LatencyHistogram histogram) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        clients.forEach(c -> next(c, running, histogram));
        Thread.sleep(millis);
        running.set(false);
        Thread.sleep(200); // let the last round trips land outside the next window
    }

    private static void next(Connection client, AtomicBoolean running, LatencyHistogram histogram) {
        long sent = System.nanoTime();
        client.emitWithAck("echo", "{\"t\":" + sent + "}").thenRun(() -> {
            if (running.get()) {
                histogram.recordNanos(System.nanoTime() - sent);
                next(client, running, histogram);
            }
        });
    }
}
