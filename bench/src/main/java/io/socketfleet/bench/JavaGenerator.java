package io.socketfleet.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The Java load generator: {@link LoadClient}'s Netty clients, two threads, in the runner's process. */
final class JavaGenerator implements LoadGenerator {

    private final LoadClient load = new LoadClient(2);
    private final List<Connection> clients = new ArrayList<>();

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void connect(List<String> urls, int count) throws InterruptedException {
        for (int i = 0; i < urls.size(); i++) {
            int share = count / urls.size() + (i < count % urls.size() ? 1 : 0);
            clients.addAll(load.connect(urls.get(i), share, 128));
        }
    }

    @Override
    public Window echo(Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        long started = System.nanoTime();
        clients.forEach(c -> nextEcho(c, running, recorder));
        Thread.sleep(duration.toMillis());
        running.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram latencies = recorder.getIntervalHistogram();
        Thread.sleep(200); // the last round trips land outside the next window
        return new Window(latencies.getTotalCount(), latencies, 0, seconds);
    }

    private static void nextEcho(Connection client, AtomicBoolean running, Recorder recorder) {
        long sent = System.nanoTime();
        client.emitWithAck("echo", "{\"t\":" + sent + "}").thenRun(() -> {
            if (running.get()) {
                recorder.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                nextEcho(client, running, recorder);
            }
        });
    }

    @Override
    public Window broadcastRounds(Duration duration) {
        Recorder recorder = new Recorder(3);
        AtomicReference<AtomicInteger> remaining = new AtomicReference<>(new AtomicInteger());
        AtomicReference<CompletableFuture<Void>> roundDone = new AtomicReference<>(new CompletableFuture<>());
        for (Connection receiver : clients) {
            receiver.onEvent = text -> {
                recorder.recordValue(Math.max(1, (System.nanoTime() - timestamp(text)) / 1000));
                if (remaining.get().decrementAndGet() == 0) {
                    roundDone.get().complete(null);
                }
            };
        }
        long lost = 0;
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        while (System.nanoTime() < end) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger left = new AtomicInteger(clients.size());
            roundDone.set(done);
            remaining.set(left);
            clients.get(0).emitWithAck("broadcast", "{\"t\":" + System.nanoTime() + "}");
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (Exception timeout) {
                lost += Math.max(0, left.get());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram latencies = recorder.getIntervalHistogram();
        return new Window(latencies.getTotalCount(), latencies, lost, seconds);
    }

    /** The nanoTime a "msg" event carries: 42["msg",{"t":123}]. */
    static long timestamp(String text) {
        int at = text.indexOf("\"t\":") + 4;
        long value = 0;
        for (int i = at; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** The clients, for scenarios that drive them directly (idle connections). */
    List<Connection> clients() {
        return clients;
    }

    @Override
    public void close() {
        LoadClient.closeAll(clients);
        load.close();
    }
}
