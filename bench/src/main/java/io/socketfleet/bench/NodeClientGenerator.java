package io.socketfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Node load generator: official socket.io-client 4.8 clients in several Node processes
 * ({@code bench/js/load-clients.js}), so one Node event loop is never the cap; this class
 * drives them over their stdin/stdout and merges their latencies.
 */
final class NodeClientGenerator implements LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int processes;
    private final List<Worker> workers = new ArrayList<>();
    private int clients;

    NodeClientGenerator(int processes) {
        this.processes = processes;
    }

    @Override
    public String name() {
        return "node socket.io-client";
    }

    @Override
    public void connect(List<String> urls, int count) throws Exception {
        int share = (count + processes - 1) / processes;
        int offset = 0;
        for (int p = 0; p < processes && clients < count; p++) {
            int n = Math.min(share, count - clients);
            List<String> command = new ArrayList<>(List.of("node", Repo.path("bench/js/load-clients.js").toString(), Integer.toString(n)));
            // Rotate the server list so the processes' clients together spread evenly over the servers.
            for (int i = 0; i < urls.size(); i++) {
                command.add(urls.get((offset + i) % urls.size()));
            }
            offset += n;
            workers.add(new Worker(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start()));
            clients += n;
        }
        for (Worker worker : workers) {
            worker.await("ready", Duration.ofSeconds(120));
        }
    }

    @Override
    public Window echo(Duration duration) throws Exception {
        long started = System.nanoTime();
        for (Worker worker : workers) {
            worker.send("{\"cmd\":\"echo\",\"ms\":" + duration.toMillis() + "}");
        }
        Histogram latencies = LoadGenerator.newHistogram();
        long operations = 0;
        for (Worker worker : workers) {
            operations += merge(worker.await("echo", duration.plusSeconds(30)), latencies);
        }
        return new Window(operations, latencies, 0, duration.toNanos() / 1e9);
    }

    @Override
    public Window broadcastRounds(Duration duration) throws Exception {
        stats(LoadGenerator.newHistogram()); // what came before this window
        long rounds = 0;
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        for (int round = 0; System.nanoTime() < end; round++) {
            workers.get(0).send("{\"cmd\":\"emit\",\"r\":" + round + "}");
            rounds++;
            for (Worker worker : workers) {
                worker.awaitRound(round, Duration.ofSeconds(10));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Histogram latencies = LoadGenerator.newHistogram();
        long deliveries = stats(latencies);
        return new Window(deliveries, latencies, rounds * clients - deliveries, seconds);
    }

    private long stats(Histogram into) throws Exception {
        long operations = 0;
        for (Worker worker : workers) {
            worker.send("{\"cmd\":\"stats\"}");
            operations += merge(worker.await("stats", Duration.ofSeconds(30)), into);
        }
        return operations;
    }

    private static long merge(JsonNode stats, Histogram into) {
        stats.get("hist").fields().forEachRemaining(e -> into.recordValueWithCount(Long.parseLong(e.getKey()), e.getValue().asLong()));
        return stats.get("ops").asLong();
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker worker : workers) {
            worker.close();
        }
    }

    /** One Node process and the lines it printed. */
    private static final class Worker {
        private final Process process;
        private final Writer stdin;
        private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();

        Worker(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(JSON.readTree(line));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "node generator " + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** The next line of this kind; round notices left over from a timed-out round are skipped. */
        JsonNode await(String event, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("node generator " + process.pid() + ": no '" + event + "' within " + timeout
                            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
                }
                if (line.get("ev").asText().equals(event)) {
                    return line;
                }
            }
        }

        /** Waits until every client of this process has round {@code round}; gives up after the timeout (counted as lost). */
        void awaitRound(int round, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            for (JsonNode line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS); line != null;
                 line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                if (line.get("ev").asText().equals("round") && line.get("r").asInt() >= round) {
                    return;
                }
            }
        }

        void close() throws InterruptedException {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
