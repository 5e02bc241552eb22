package io.socketfleet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The soak test (not part of CI): a socket-node process with a fixed heap under mixed clients
 * for a long time — official socket.io-clients on websocket, polling and upgrading, leaving
 * cleanly or by cutting their connection; long-polls cut while held; websockets that stop
 * reading while broadcasts pile up; handshakes that never send CONNECT. Every minute it prints
 * the node's heap after a full GC and its open sessions; the goal is two flat lines.
 * Usage: java -cp bench/target/socketfleet-bench.jar io.socketfleet.bench.Soak [--minutes 30] [--heap 256m]
 */
@Command(name = "socketfleet-soak", mixinStandardHelpOptions = true,
        description = "Runs socket-node for a long time under mixed and hostile clients, printing heap and sessions each minute.")
public final class Soak implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "30", description = "How long to run (default ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--heap", defaultValue = "256m", description = "The node's fixed heap, -Xms and -Xmx (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--clients", defaultValue = "150", description = "Official clients alive at any time (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--slow-readers", defaultValue = "10", description = "Websockets that never read, alive at any time (default ${DEFAULT-VALUE}).")
    int slowReaders;

    @Option(names = "--report-seconds", defaultValue = "60", description = "Seconds between reports (default ${DEFAULT-VALUE}).")
    int reportSeconds;

    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int port = Repo.freePort();
        String url = "http://127.0.0.1:" + port;
        Path nodeLog = Repo.path("bench/target/soak-node.log");
        nodeLog.getParent().toFile().mkdirs();
        Process node = new ProcessBuilder(List.of(ServerProcess.java(), "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), BenchNodeApp.class.getName(),
                "127.0.0.1", Integer.toString(port), "5000", "5000"))
                .redirectErrorStream(true).redirectOutput(nodeLog.toFile()).start();
        Process js = null;
        SoakAbusers abusers = new SoakAbusers(port);
        try (LoadClient probe = new LoadClient(1)) {
            awaitListening(url);
            js = new ProcessBuilder("node", Repo.path("bench/js/soak-clients.js").toString(), url,
                    Integer.toString(clients), Long.toString(reportSeconds * 1000L))
                    .redirectErrorStream(true).start();
            Thread clientReports = relay(js, "  clients: ");
            Connection reporter = probe.open(url).orTimeout(30, TimeUnit.SECONDS).join().connected.orTimeout(30, TimeUnit.SECONDS).join();
            Connection broadcaster = probe.open(url).orTimeout(30, TimeUnit.SECONDS).join().connected.orTimeout(30, TimeUnit.SECONDS).join();
            String payload = "\"" + "p".repeat(10_000) + "\"";
            System.out.printf("soak: node heap %s, %d clients, %d slow readers, %d min, node log %s%n",
                    heap, clients, slowReaders, minutes, nodeLog);
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(minutes);
            long nextReport = start;
            int report = 0;
            while (System.nanoTime() < end && node.isAlive()) {
                if (System.nanoTime() >= nextReport) {
                    report(report++, reporter, url, abusers);
                    nextReport += TimeUnit.SECONDS.toNanos(reportSeconds);
                }
                abusers.round(slowReaders);
                for (int i = 0; i < 10; i++) {
                    broadcaster.emitWithAck("broadcast", payload);
                    Thread.sleep(200);
                }
            }
            report(report, reporter, url, abusers);
            clientReports.interrupt();
            if (!node.isAlive()) {
                System.out.println("soak: the node died; see " + nodeLog);
                return 1;
            }
            return 0;
        } finally {
            abusers.close();
            if (js != null) {
                js.destroy();
            }
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void report(int minute, Connection reporter, String url, SoakAbusers abusers) throws Exception {
        String memory = reporter.emitWithAck("memory", null).orTimeout(60, TimeUnit.SECONDS).join();
        long heapUsed = Long.parseLong(memory.replaceAll("[^0-9]", ""));
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("t=%3d min  heap after GC %6.1f MiB  sessions open %5s  slow clients dropped %5s  "
                        + "protocol errors %5s  aborted polls %d  silent handshakes %d  slow readers %d  abuser failures %d%n",
                minute * reportSeconds / 60, heapUsed / (1024.0 * 1024.0), metric(metrics, "socketfleet_sessions_open"),
                metric(metrics, "socketfleet_slow_clients_dropped_total"), metric(metrics, "socketfleet_protocol_errors_total"),
                abusers.abortedPolls.get(), abusers.silentHandshakes.get(), abusers.slowReadersOpened.get(), abusers.failures.get());
    }

    private static String metric(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).map(v -> v.replaceAll("\\.0$", ""))
                .findFirst().orElse("?");
    }

    private void awaitListening(String url) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the node did not become ready");
    }

    private static Thread relay(Process process, String prefix) {
        Thread thread = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println(prefix + line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "soak-relay");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
