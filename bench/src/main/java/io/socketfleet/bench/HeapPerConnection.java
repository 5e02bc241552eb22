package io.socketfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an idle websocket costs socket-node's heap, class by class: {@code jmap -histo:live} of the
 * server before and after {@code N} clients connect (each histogram after a full GC), the difference
 * divided by {@code N}. Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.HeapPerConnection [N] [TOP]
 */
public final class HeapPerConnection {

    private HeapPerConnection() {
    }

    /** Instances and bytes of one class. */
    private record Row(long instances, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (ServerProcess server = ServerProcess.start(ServerProcess.Kind.SOCKET_NODE, Repo.freePort(), null, null);
             JavaGenerator load = new JavaGenerator()) {
            load.connect(List.of(server.url), 1);
            Map<String, Row> before = histogram(server.pid());
            load.connect(List.of(server.url), clients);
            Thread.sleep(2L * ServerProcess.PING_INTERVAL_MS + 1000); // a couple of heartbeats, as idle-connections
            Map<String, Row> after = histogram(server.pid());
            Map<String, Row> diff = new HashMap<>();
            after.forEach((name, row) -> {
                Row was = before.getOrDefault(name, new Row(0, 0));
                diff.put(name, new Row(row.instances() - was.instances(), row.bytes() - was.bytes()));
            });
            long total = diff.values().stream().mapToLong(Row::bytes).sum();
            System.out.printf("socket-node, %,d idle websockets: %,.0f bytes of heap each (jmap -histo:live difference)%n%n",
                    clients, total / (double) clients);
            System.out.println("| class | instances per connection | bytes per connection |");
            System.out.println("| --- | ---: | ---: |");
            diff.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes())).limit(top)
                    .forEach(e -> System.out.printf("| %s | %.2f | %.0f |%n", e.getKey(),
                            e.getValue().instances() / (double) clients, e.getValue().bytes() / (double) clients));
        }
    }

    private static Map<String, Row> histogram(long pid) throws IOException, InterruptedException {
        Path jmap = Path.of(ServerProcess.java()).resolveSibling("jmap");
        Process process = new ProcessBuilder(jmap.toString(), "-histo:live", Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Map<String, Row> rows = new HashMap<>();
        for (String line : output.split("\n")) {
            // "   1:        123456       7890123  java.lang.String (java.base@17)"
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                rows.put(fields[3], new Row(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
        }
        return rows;
    }
}
